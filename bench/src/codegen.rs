//! The in-process pipeline: `vapigen::generate_from_str` on spec/vsphere.yaml with the
//! real templates and the settings `cargo xtask codegen` uses for generated/, read once;
//! cargo's build and the disk are not in the timing.

use std::path::Path;

use super::stats::{median, ms, thread_cpu_ms, timed};

/// The spec and templates, read once, and the crate's settings.
pub struct Inputs {
    pub spec: String,
    pub templates: vapigen::Templates,
    /// Those of generated/ (`vsphere-api`, on `../runtime`), as `vapigen::codegen` makes
    /// them from the workspace's layout.
    pub settings: vapigen::CrateSettings,
}

impl Inputs {
    pub fn read(root: &Path) -> Result<Inputs, String> {
        let layout = vapigen::Layout::under(root);
        let spec = std::fs::read_to_string(&layout.spec)
            .map_err(|e| format!("{}: {e}", layout.spec.display()))?;
        let templates = vapigen::read_templates(&layout.templates).map_err(|e| e.to_string())?;
        let settings = layout.settings().map_err(|e| e.to_string())?;
        Ok(Inputs {
            spec,
            templates,
            settings,
        })
    }
}

/// Timings of `runs` generations of `spec` (after one untimed warm-up run when asked).
pub struct Samples {
    /// Wall time of each run, ms.
    pub wall_ms: Vec<f64>,
    /// CPU time of each run, ms.
    pub cpu_ms: Vec<f64>,
    /// Files in the generated crate.
    pub files: usize,
}

/// Times `runs` generations of `spec`; the result is dropped outside the timing.
pub fn time_generate(
    spec: &str,
    templates: &vapigen::Templates,
    settings: &vapigen::CrateSettings,
    runs: usize,
    warm_up: bool,
) -> Result<Samples, String> {
    let generate =
        || vapigen::generate_from_str(spec, templates, settings).map_err(|e| e.to_string());
    let mut samples = Samples {
        wall_ms: Vec::with_capacity(runs),
        cpu_ms: Vec::with_capacity(runs),
        files: 0,
    };
    if warm_up {
        samples.files = generate()?.files.len();
    }
    for _ in 0..runs {
        let cpu = thread_cpu_ms();
        let (generated, elapsed) = timed(generate);
        samples.cpu_ms.push(thread_cpu_ms() - cpu);
        let generated = generated?;
        samples.files = generated.files.len();
        samples.wall_ms.push(ms(elapsed));
        drop(generated);
    }
    Ok(samples)
}

/// Figures of the real spec.
#[derive(Debug, Clone)]
pub struct CodegenFigures {
    pub runs: usize,
    pub median_ms: f64,
    pub min_ms: f64,
    pub cpu_median_ms: f64,
    pub files: usize,
}

pub fn run(inputs: &Inputs, runs: usize) -> Result<CodegenFigures, String> {
    let samples = time_generate(
        &inputs.spec,
        &inputs.templates,
        &inputs.settings,
        runs,
        true,
    )?;
    Ok(CodegenFigures {
        runs,
        median_ms: median(&samples.wall_ms),
        min_ms: samples
            .wall_ms
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min),
        cpu_median_ms: median(&samples.cpu_ms),
        files: samples.files,
    })
}
