//! Robustness of the whole pipeline against any spec text (issue "Generator robustness").
//!
//! Whatever text it is given, `generate_from_str` either generates or refuses with an error
//! that names a JSON pointer (`#/paths/~1a/post: ...`); it never panics. Three tests say so:
//!
//! - `mutated_real_spec`: `spec/vsphere.yaml` with one to four random edits (a line deleted,
//!   duplicated, swapped, re-indented; a value or key replaced by an odd token; the text cut
//!   at a random place; random characters inserted);
//! - `random_small_specs`: small specs made from scratch, with random schema shapes (objects
//!   with odd property names, arrays with and without items, sets, maps, `allOf`/`oneOf`,
//!   enums with odd values, `$ref`s to present and missing schemas, vendor rules) and
//!   operations (odd operationIds, path keys, parameters, statuses, descriptions);
//! - `corpus`: every file of `tests/fuzz-corpus/`, the inputs that once failed and a few
//!   chosen shapes, so a fixed bug stays fixed whatever the random cases of a run.
//!
//! The property tests run a fixed number of cases (bounded time in CI, debug build) and
//! persist nothing: a failure prints its minimal input (for the real spec, the list of edits
//! and what they did), which goes into `tests/fuzz-corpus/` as a `.yaml` file named after
//! what it exercises, next to the fix. For a longer local hunt, raise the counts:
//! `VAPIGEN_ROBUSTNESS_CASES=20000 cargo test -p vapigen --release --test robustness -- --nocapture`
//! (`PROPTEST_RNG_SEED=<n>` makes a run repeatable).

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use serde_json::{json, Map, Value};
use vapigen::{CrateSettings, Templates};

/// The real spec, the text the mutations start from.
const SPEC: &str = include_str!("../../spec/vsphere.yaml");

/// The real templates, read once for every case.
static TEMPLATES: LazyLock<Templates> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .join("templates");
    vapigen::read_templates(&dir).unwrap_or_else(|e| panic!("templates: {e}"))
});

/// Cases per property test. A full generation of the real spec takes about 0.3 s in a debug
/// build, a small spec a few ms; the counts keep the file well under a minute on 2 cores.
const MUTATED_CASES: u32 = 200;
const SMALL_CASES: u32 = 400;

/// What one property test saw, printed when it ends (`-- --nocapture` shows it).
struct Tally {
    inputs: AtomicUsize,
    refused: AtomicUsize,
}

impl Tally {
    const fn new() -> Self {
        Tally {
            inputs: AtomicUsize::new(0),
            refused: AtomicUsize::new(0),
        }
    }
}

static MUTATED: Tally = Tally::new();
static SMALL: Tally = Tally::new();

/// The assertion of every test here: the pipeline generates, or refuses with an error whose
/// message starts with the JSON pointer of the place. A panic is caught and fails the case,
/// so the failure names the input that caused it.
fn check(text: &str, tally: &Tally) -> Result<(), String> {
    tally.inputs.fetch_add(1, Ordering::Relaxed);
    let generated = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let settings = CrateSettings {
            name: "vsphere-api".to_owned(),
            runtime_path: "../runtime".to_owned(),
        };
        vapigen::generate_from_str(text, &TEMPLATES, &settings)
    }));
    let e = match generated {
        Ok(Ok(_)) => return Ok(()),
        Ok(Err(e)) => e,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            return Err(format!("the generator panicked: {message}"));
        }
    };
    tally.refused.fetch_add(1, Ordering::Relaxed);
    // A spec's problems come together; each one names its place.
    for problem in e.problems() {
        let message = problem.to_string();
        let Some(pointer) = problem.pointer() else {
            return Err(format!("an error without a JSON pointer: {message}"));
        };
        if !(pointer.as_str() == "#" || pointer.as_str().starts_with("#/")) {
            return Err(format!(
                "the pointer `{pointer}` is not of the form `#/...`: {message}"
            ));
        }
        if !message.starts_with(&format!("{pointer}: ")) {
            return Err(format!(
                "the message does not start with its pointer `{pointer}`: {message}"
            ));
        }
    }
    Ok(())
}

fn cases(default: u32) -> u32 {
    std::env::var("VAPIGEN_ROBUSTNESS_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `property` on `cases` values of `strategy`, prints the tally, fails on a failure
/// (whose message says how to reproduce the minimal failing input).
fn run<S: Strategy>(
    name: &str,
    cases: u32,
    tally: &'static Tally,
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let config = Config {
        cases,
        // The corpus is the record of what once failed; nothing is written by the test.
        failure_persistence: None,
        // A failure is worth seeing, not worth shrinking for long (a real-spec case is slow).
        max_shrink_time: 60_000,
        ..Config::default()
    };
    let started = std::time::Instant::now();
    let result = TestRunner::new(config).run(&strategy, property);
    let inputs = tally.inputs.load(Ordering::Relaxed);
    let refused = tally.refused.load(Ordering::Relaxed);
    match result {
        Ok(()) => println!(
            "robustness ({name}): {inputs} inputs, {refused} refused with a pointer, 0 panics ({:.1} s)",
            started.elapsed().as_secs_f64()
        ),
        Err(TestError::Fail(why, _)) => panic!(
            "robustness ({name}): {why}\n\
             add the input to generator/tests/fuzz-corpus/ once the generator is fixed"
        ),
        Err(TestError::Abort(why)) => panic!("robustness ({name}): aborted: {why}"),
    }
}

// ---- the real spec, mutated ------------------------------------------------------------

/// Tokens that replace the value after a `key: `.
const VALUES: &[&str] = &[
    "7",
    "-1",
    "1.5",
    ".inf",
    "[]",
    "{}",
    "null",
    "~",
    "\"x\"",
    "''",
    "true",
    "$ref: '#/nowhere'",
    "{$ref: '#/nowhere'}",
    "{$ref: '#/components/schemas/Nowhere'}",
    "{$ref: '#/components/schemas/Vapi.Std.Errors.Error'}",
    "[null]",
    "{type: array}",
    "{type: object, additionalProperties: {}}",
    "{type: string, enum: [A, a, '']}",
    "'3.1.0'",
    "\"{\"",
    "'/a/{b'",
    "\"***Vapi.Std.Errors.Nope*** if never\"",
    "\"The property must be an identifier for the resource type: `a.9`.\"",
    "\"This property was added in __vSphere API__.\"",
    "'ü名'",
    "type",
    "self",
    "&anchor x",
    "*anchor",
    "!!binary aGk=",
    "|",
];

/// Keys that replace the key of a line.
const KEYS: &[&str] = &[
    "type",
    "self",
    "Self",
    "''",
    "'9'",
    "ü",
    "enum",
    "$ref",
    "allOf",
    "oneOf",
    "items",
    "required",
    "nullable",
    "uniqueItems",
    "additionalProperties",
    "x-vapi-union",
    "x-vapi-exclusive",
    "x-vapi-task-result",
    "operationId",
    "'4XX'",
    "default",
    "? [a]",
];

/// One edit of the spec text. Line numbers and byte offsets are taken modulo the current
/// length, so a list of edits always applies.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    /// The value after the first `: ` of this line (or the next line that has one).
    ReplaceValue(usize, &'static str),
    /// The key before the first `:` of this line (or the next line that has one).
    ReplaceKey(usize, &'static str),
    Reindent(usize, usize),
    Truncate(usize),
    Insert(usize, String),
}

fn mutation(lines: usize, bytes: usize) -> impl Strategy<Value = Mutation> {
    let inserted = prop_oneof![
        // Any bytes, kept as text the way a reader of a file would (`from_utf8_lossy`).
        proptest::collection::vec(any::<u8>(), 1..8)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        // YAML's own punctuation, where it hurts most.
        "[-:{}\\[\\],#&*!|>'\"%@`?\t\n ]{1,6}",
        // Any characters, control and non-ASCII ones included.
        any::<String>().prop_map(|s| s.chars().take(6).collect()),
    ];
    prop_oneof![
        1 => (0..lines).prop_map(Mutation::DeleteLine),
        1 => (0..lines).prop_map(Mutation::DuplicateLine),
        1 => (0..lines, 0..lines).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        3 => (0..lines, select(VALUES)).prop_map(|(l, v)| Mutation::ReplaceValue(l, v)),
        1 => (0..lines, select(KEYS)).prop_map(|(l, k)| Mutation::ReplaceKey(l, k)),
        1 => (0..lines, 0..14usize).prop_map(|(l, i)| Mutation::Reindent(l, i)),
        1 => (0..bytes).prop_map(Mutation::Truncate),
        2 => (0..bytes, inserted).prop_map(|(at, s)| Mutation::Insert(at, s)),
    ]
}

/// `text` with `m` applied, and what was done, for the failure message.
fn apply(text: &str, m: &Mutation) -> (String, String) {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let n = lines.len();
    let with_colon = |from: usize, sep: &str| {
        (0..n)
            .map(|i| (from + i) % n)
            .find(|&i| lines[i].contains(sep))
    };
    let what = match m {
        Mutation::DeleteLine(l) => {
            let removed = lines.remove(l % n);
            format!("line {} deleted: {removed:?}", l % n + 1)
        }
        Mutation::DuplicateLine(l) => {
            let line = lines[l % n].clone();
            lines.insert(l % n, line.clone());
            format!("line {} duplicated: {line:?}", l % n + 1)
        }
        Mutation::SwapLines(a, b) => {
            lines.swap(a % n, b % n);
            format!("lines {} and {} swapped", a % n + 1, b % n + 1)
        }
        Mutation::ReplaceValue(l, token) => match with_colon(*l, ": ") {
            Some(i) => {
                let (key, _) = lines[i].split_once(": ").unwrap_or_default();
                let new = format!("{key}: {token}");
                let what = format!("line {} {:?} -> {new:?}", i + 1, lines[i]);
                lines[i] = new;
                what
            }
            None => "no line with a value".to_owned(),
        },
        Mutation::ReplaceKey(l, token) => match with_colon(*l, ":") {
            Some(i) => {
                let line = &lines[i];
                let indent = &line[..line.len() - line.trim_start().len()];
                let (_, rest) = line.split_once(':').unwrap_or_default();
                let new = format!("{indent}{token}:{rest}");
                let what = format!("line {} {line:?} -> {new:?}", i + 1);
                lines[i] = new;
                what
            }
            None => "no line with a key".to_owned(),
        },
        Mutation::Reindent(l, indent) => {
            let line = &lines[l % n];
            let new = format!("{}{}", " ".repeat(*indent), line.trim_start());
            let what = format!("line {} {line:?} -> {new:?}", l % n + 1);
            lines[l % n] = new;
            what
        }
        Mutation::Truncate(at) => {
            let at = char_boundary(text, at % (text.len() + 1));
            let line = text[..at].matches('\n').count() + 1;
            return (
                text[..at].to_owned(),
                format!("cut at byte {at} (line {line})"),
            );
        }
        Mutation::Insert(at, inserted) => {
            let at = char_boundary(text, at % (text.len() + 1));
            let line = text[..at].matches('\n').count() + 1;
            let mut out = text.to_owned();
            out.insert_str(at, inserted);
            return (
                out,
                format!("{inserted:?} inserted at byte {at} (line {line})"),
            );
        }
    };
    (lines.join("\n"), what)
}

/// The largest char boundary at or before `at`.
fn char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[test]
fn mutated_real_spec() {
    let lines = SPEC.split('\n').count();
    let strategy = proptest::collection::vec(mutation(lines, SPEC.len()), 1..=4);
    run(
        "mutated real spec",
        cases(MUTATED_CASES),
        &MUTATED,
        strategy,
        |mutations| {
            let mut text = SPEC.to_owned();
            let mut done = Vec::new();
            for m in &mutations {
                let (next, what) = apply(&text, m);
                text = next;
                done.push(what);
            }
            check(&text, &MUTATED).map_err(|why| {
                TestCaseError::fail(format!(
                    "{why}\nthe edits of spec/vsphere.yaml: {}\n(as values: {mutations:?})",
                    done.join("; ")
                ))
            })
        },
    );
}

// ---- small specs from scratch ------------------------------------------------------------

/// A well-formed choice `w` times as often as an odd one. A third of the specs are tame (most
/// get through to the emitter), a third have an odd value here and there (refused in the
/// later steps, or not), a third are wild (refused early, in every way there is).
fn pick(
    w: u32,
    good: &'static [&'static str],
    odd: &'static [&'static str],
) -> BoxedStrategy<&'static str> {
    prop_oneof![w => select(good), 1 => select(odd)].boxed()
}

const TAME: u32 = 200;
const MIDDLE: u32 = 25;
const WILD: u32 = 4;

/// Schema names: dotted names as VMware writes them, and names that collide (`A.B.spec`),
/// land on generated names (`Api`, `RunError`, `ids`), sit at the top (`Top`) or cannot
/// become Rust names at all.
const SCHEMA_NAMES: &[&str] = &[
    "A.B.Spec",
    "X.Y.Thing",
    "A.B.Kind",
    "A.B.Info",
    "A.B.Spec.Inner",
];
const ODD_SCHEMA_NAMES: &[&str] = &[
    "A.B.spec",
    "A.B.Api",
    "A.B.RunError",
    "A.type.Self",
    "ids.Thing",
    "a.b.Kind",
    "Top",
    "ü.名",
    "",
    "A..B",
    "9.1",
    "Vapi.Std.Errors.Error",
    "Vapi.Std.Errors.Error.Type",
];

const PROPERTY_NAMES: &[&str] = &[
    "name", "spec", "type", "self", "crate", "async", "gen", "try", "value", "path", "check", "id",
    "9lives", "a-b", "r#x", "host", "kind",
];
const ODD_PROPERTY_NAMES: &[&str] = &["", "_", "-", "ü", "名前", "a_b", "A_B", "A-B", "Self"];

const ENUM_VALUES: &[&str] = &[
    "A",
    "B",
    "UNKNOWN",
    "OTHER",
    "type",
    "self",
    "9",
    "a-b",
    "NOT_FOUND",
    "ERROR",
];
const ODD_ENUM_VALUES: &[&str] = &[
    "",
    "ü",
    "a_b",
    "A_B",
    "Self",
    "Unknown",
    "UNDOCUMENTED",
    "-",
];

const DESCRIPTIONS: &[&str] = &[
    "Plain words.",
    "Markup: <value>, [x], https://example.com/a?b=c, `code <b>`, *stars*.",
    "This property was added in __vSphere API 9.1.0.0__.",
    "This property is deprecated as of __vSphere API 8.0.1__. Use *POST /x* instead.",
    "***Vapi.Std.Errors.NotFound*** if it is not there.\n\n***Vapi.Std.Errors.Error*** if it broke.",
    "ü名 \u{0} \t\r\n end",
    "    indented code\n\n# heading\n",
];
/// Phrases the conventions refuse, that once broke them, or that fit only some values (an
/// identifier phrase on a number is refused; `properties` puts them where they fit).
const ODD_DESCRIPTIONS: &[&str] = &[
    "The response will be an identifier for the resource type: `com.vmware.cis.task`.",
    "The key in the property map must be an identifier for the resource type: `HostSystem`.",
    "The property must contain identifiers for the resource type: `com.vmware.vcenter.namespaces.Instance`.",
    "The property must be an identifier for the resource type: `ClusterComputeResource`.",
    "This property was added in __vSphere API__.",
    "This property is deprecated as of vSphere API.",
    "The property must be an identifier for the resource type: `a.9`.",
    "The property must be an identifier for the resource type: `9.Instance`.",
    "The property must be an identifier for the resource type: `a._`.",
    "The property must be an identifier for the resource type.",
    "The property must be an identifier for the resource type: `A` and the property must be an identifier for the resource type: `A`",
    "The property must be an identifier for the resource type: `A`. The field must be an identifier for the resource type: `B`.",
    "***Vapi.Std.Errors.Nope*** if never.",
    "******",
];

const ODD_REFS: &[&str] = &[
    "#/nowhere",
    "#/components/schemas/Missing",
    "other.yaml#/components/schemas/A",
    "#/components/parameters/P",
    "",
];

/// A `$ref` target: mostly a schema of the pools (present in this spec or not), sometimes odd.
fn reference(w: u32) -> impl Strategy<Value = String> {
    prop_oneof![
        w => pick(w, SCHEMA_NAMES, ODD_SCHEMA_NAMES).prop_map(|n| format!("#/components/schemas/{n}")),
        1 => select(ODD_REFS).prop_map(str::to_owned),
    ]
}

fn description(w: u32) -> impl Strategy<Value = Option<String>> {
    proptest::option::weighted(
        0.3,
        pick(w, DESCRIPTIONS, ODD_DESCRIPTIONS).prop_map(str::to_owned),
    )
}

fn enum_values(w: u32) -> impl Strategy<Value = Value> {
    prop_oneof![
        w => proptest::sample::subsequence(ENUM_VALUES, 1..5)
            .prop_flat_map(|v| Just(v).prop_shuffle())
            .prop_map(|v| v.into_iter().map(Value::from).collect()),
        1 => proptest::collection::vec(pick(w, ENUM_VALUES, ODD_ENUM_VALUES).prop_map(Value::from), 1..5),
        1 => proptest::collection::vec(select(vec![Value::Null, json!(7), json!("A")]), 0..3),
    ]
    .prop_map(Value::Array)
}

/// Adds `key: value` to an object schema (other values are left as they are).
fn with(mut schema: Value, key: &str, value: Option<Value>) -> Value {
    if let (Some(object), Some(value)) = (schema.as_object_mut(), value) {
        object.insert(key.to_owned(), value);
    }
    schema
}

/// A property or parameter schema: scalars and references mostly, nested a few levels
/// through arrays, sets and maps, and now and then a shape the generator refuses.
fn schema(w: u32) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        8 * w => select(&["string", "integer", "number", "boolean"][..]).prop_map(|t| json!({"type": t})),
        6 * w => reference(w).prop_map(|r| json!({"$ref": r})),
        1 => select(&["date-time", "password", "binary", "uuid"][..])
            .prop_map(|f| json!({"type": "string", "format": f})),
        1 => select(&["int32", "int64", "double", "float"][..])
            .prop_map(|f| json!({"type": "integer", "format": f})),
        1 => select(&["float", "double"][..]).prop_map(|f| json!({"type": "number", "format": f})),
        2 => (
            select(&["^[a-z]+$", "^[a-z", "(", "", "\\p{L}+", "a{99999}", "(?<n>x)", "\\d+"][..]),
            proptest::option::of(0..5usize),
            proptest::option::of(0..5usize),
        )
            .prop_map(|(p, min, max)| {
                let s = json!({"type": "string", "pattern": p});
                let s = with(s, "minLength", min.map(Value::from));
                with(s, "maxLength", max.map(Value::from))
            }),
        w => Just(json!({})),
        w => Just(json!({"type": "object"})),
        1 => Just(json!({"type": "array"})),
        1 => enum_values(w).prop_map(|v| json!({"type": "string", "enum": v})),
        1 => select(vec![
            json!(7),
            json!(null),
            json!([]),
            json!("x"),
            json!(true),
            json!({"type": "nope"}),
            json!({"type": ["string", "null"]}),
            json!({"type": "string", "minimum": 1}),
        ]),
    ];
    leaf.prop_recursive(3, 24, 4, move |inner| {
        prop_oneof![
            4 * w => (inner.clone(), prop_oneof![w => Just(false), 1 => Just(true)])
                .prop_map(|(items, unique)| json!({"type": "array", "items": items, "uniqueItems": unique})),
            w => select(vec![json!({"type": "string"}), json!({"type": "integer"}), json!({"$ref": "#/components/schemas/A.B.Kind"})])
                .prop_map(|items| json!({"type": "array", "items": items, "uniqueItems": true})),
            2 * w => prop_oneof![4 => inner.clone(), 1 => Just(json!(true)), 1 => Just(json!(false))]
                .prop_map(|v| json!({"type": "object", "additionalProperties": v})),
            1 => properties(w, inner.clone()),
            1 => proptest::collection::vec(inner.clone(), 0..3).prop_map(|v| json!({"allOf": v})),
            w => inner.clone().prop_map(|v| json!({"allOf": [v]})),
            1 => proptest::collection::vec(inner.clone(), 1..3).prop_map(|v| json!({"oneOf": v})),
            2 * w => (inner.clone(), description(w), any::<bool>()).prop_map(|(s, d, nullable)| {
                let s = with(s, "description", d.map(Value::from));
                with(s, "nullable", nullable.then_some(Value::Bool(true)))
            }),
        ]
    })
    .boxed()
}

/// An object schema with random properties, `required` mostly among them.
fn properties(w: u32, inner: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    (
        proptest::collection::vec(
            (
                pick(w, PROPERTY_NAMES, ODD_PROPERTY_NAMES),
                inner,
                description(w),
                any::<bool>(),
            ),
            1..5,
        ),
        proptest::option::weighted(
            1.0 / f64::from(w),
            pick(w, PROPERTY_NAMES, ODD_PROPERTY_NAMES),
        ),
        proptest::option::weighted(
            1.0 / f64::from(w),
            prop_oneof![Just(json!(true)), Just(json!({"type": "string"}))],
        ),
        proptest::collection::vec(any::<bool>(), 5),
    )
        .prop_map(|(props, stray, additional, id_phrase)| {
            let mut map = Map::new();
            let mut required = Vec::new();
            for ((name, schema, docs, is_required), id_phrase) in props.into_iter().zip(id_phrase) {
                if is_required {
                    required.push(Value::from(name));
                }
                // Strings, lists of strings and maps often hold ids, as VMware's prose says.
                let docs = match id_phrase.then(|| id_phrase_for(&schema)).flatten() {
                    Some(phrase) => Some(phrase.to_owned()),
                    None => docs,
                };
                map.insert(
                    name.to_owned(),
                    with(schema, "description", docs.map(Value::from)),
                );
            }
            // A required name that may not be a property.
            required.extend(stray.map(Value::from));
            let s = json!({"type": "object", "properties": map, "required": required});
            with(s, "additionalProperties", additional)
        })
        .boxed()
}

/// The identifier phrase that fits a property schema, if one does.
fn id_phrase_for(schema: &Value) -> Option<&'static str> {
    let string = json!({"type": "string"});
    match schema.get("type").and_then(Value::as_str)? {
        "string" if *schema == string => Some("The property must be an identifier for the resource type: `ClusterComputeResource`."),
        "array" if schema["items"] == string => Some("The property must contain identifiers for the resource type: `com.vmware.vcenter.namespaces.Instance`."),
        "object" if schema.get("additionalProperties").is_some_and(Value::is_object) => {
            Some("The key in the property map must be an identifier for the resource type: `HostSystem`.")
        }
        _ => None,
    }
}

/// A rule between fields (`x-vapi-union`, `x-vapi-exclusive`), well formed or not.
fn vendor_rule(w: u32) -> impl Strategy<Value = (&'static str, Value)> {
    prop_oneof![
        (
            pick(w, PROPERTY_NAMES, ODD_PROPERTY_NAMES),
            pick(w, ENUM_VALUES, ODD_ENUM_VALUES),
            proptest::collection::vec(pick(w, PROPERTY_NAMES, ODD_PROPERTY_NAMES), 0..3),
            proptest::collection::vec(pick(w, PROPERTY_NAMES, ODD_PROPERTY_NAMES), 0..2),
        )
            .prop_map(|(d, case, required, forbidden)| {
                let rule = json!({"discriminator": d, "cases": {case: {"required": required, "forbidden": forbidden}}});
                ("x-vapi-union", rule)
            }),
        proptest::collection::vec(
            proptest::collection::vec(pick(w, PROPERTY_NAMES, ODD_PROPERTY_NAMES), 0..4),
            0..3,
        )
        .prop_map(|groups| ("x-vapi-exclusive", json!(groups))),
        select(vec![json!(7), json!(null), json!({"cases": []}), json!([[7]])])
            .prop_map(|v| ("x-vapi-union", v)),
    ]
}

/// A named component: leans to objects, enums and `allOf`s, sometimes with vendor rules.
fn named_schema(w: u32) -> BoxedStrategy<Value> {
    let object_ref = pick(w, &["A.B.Spec", "X.Y.Thing"], ODD_SCHEMA_NAMES)
        .prop_map(|n| json!({"$ref": format!("#/components/schemas/{n}")}));
    prop_oneof![
        5 => object(w),
        3 => enum_values(w).prop_map(|v| json!({"type": "string", "enum": v})),
        2 => proptest::collection::vec(prop_oneof![object_ref, object(w)], 1..3)
            .prop_map(|v| json!({"allOf": v})),
        1 => schema(w),
    ]
    .boxed()
}

/// A named object schema, sometimes with a rule between its fields.
fn object(w: u32) -> BoxedStrategy<Value> {
    (
        properties(w, schema(w)),
        description(w),
        proptest::option::weighted(2.0 / f64::from(w), vendor_rule(w)),
    )
        .prop_map(|(s, docs, rule)| {
            let s = with(s, "description", docs.map(Value::from));
            match rule {
                Some((key, value)) => with(s, key, Some(value)),
                None => s,
            }
        })
        .boxed()
}

/// The standard error schemas as the conventions expect them; most small specs start from
/// these so that operations with error responses get past `vapi::errors` into the emitter.
fn standard_errors() -> Map<String, Value> {
    let mut map = Map::new();
    map.insert(
        "Vapi.Std.LocalizableMessage".into(),
        json!({"type": "object", "properties": {
            "id": {"type": "string"},
            "default_message": {"type": "string"},
            "args": {"type": "array", "items": {"type": "string"}}}}),
    );
    map.insert(
        "Vapi.Std.Errors.Error".into(),
        json!({"type": "object", "properties": {
            "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Vapi.Std.LocalizableMessage"}},
            "error_type": {"$ref": "#/components/schemas/Vapi.Std.Errors.Error.Type"}}}),
    );
    map.insert(
        "Vapi.Std.Errors.Error.Type".into(),
        json!({"type": "string", "enum": ["ERROR", "NOT_FOUND", "UNAUTHENTICATED"]}),
    );
    map.insert(
        "Vapi.Std.Errors.NotFound".into(),
        json!({"allOf": [{"$ref": "#/components/schemas/Vapi.Std.Errors.Error"}]}),
    );
    // What a task service answers, for the task operations.
    map.insert(
        "Cis.Task.Info".into(),
        json!({"type": "object", "required": ["status"], "properties": {
            "status": {"$ref": "#/components/schemas/Cis.Task.Status"},
            "result": {}}}),
    );
    map.insert(
        "Cis.Task.Status".into(),
        json!({"type": "string", "enum": ["RUNNING", "SUCCEEDED", "FAILED"]}),
    );
    map
}

const PATH_KEYS: &[&str] = &[
    "/a",
    "/b",
    "/a/{id}",
    "/a/{id}/c",
    "/a?action=run",
    "/a?action=get",
];
const ODD_PATH_KEYS: &[&str] = &[
    "/c?action=run&vmw-task=true",
    "/a/{",
    "/a/{id}/{id}",
    "/a/{}",
    "/a/}{",
    "/a?",
    "/a?x",
    "/a?=1",
    "/a?a=1&a=2",
    "",
    "a",
    "/ü/{名}",
];

const TAGS: &[&str] = &["A.B", "X.Y", "A.B.C", "type.self"];
const ODD_TAGS: &[&str] = &["ü", "A..B", "ids", "A.B.Api", "", "a.b", "A.b"];

const METHOD_NAMES: &[&str] = &[
    "run",
    "get",
    "list",
    "type",
    "self",
    "9",
    "check",
    "createFromHost",
];
const ODD_OPERATION_IDS: &[&str] = &[
    "A.B_",
    "A.B",
    "_run",
    "",
    "ü_ü",
    "A.B_Run",
    "A.B_run$Task$Task",
];

const SUCCESS: &[&str] = &["200", "201", "202", "204"];
const ODD_STATUSES: &[&str] = &["299", "300", "4XX", "default", "1000", "0"];
const ERROR_STATUSES: &[&str] = &["400", "401", "404", "500", "503"];

fn parameter(w: u32) -> impl Strategy<Value = Value> {
    prop_oneof![
        8 * w => (
            pick(w, &["type", "name", "a-b", "self", "filter"], &["", "名", "A_B", "a_b", "id"]),
            pick(w, &["query"], &["header", "path", "cookie", "body"]),
            // Query values are strings, ids, enums, integers or booleans; any other is refused.
            prop_oneof![
                w => select(vec![
                    json!({"type": "string"}),
                    json!({"type": "integer"}),
                    json!({"type": "boolean"}),
                    json!({"$ref": "#/components/schemas/A.B.Kind"}),
                ]),
                1 => schema(w),
            ],
            any::<bool>(),
            description(w),
        )
            .prop_map(|(name, location, schema, required, docs)| {
                let p = json!({"name": name, "in": location, "schema": schema, "required": required});
                with(p, "description", docs.map(Value::from))
            }),
        1 => select(&["#/components/parameters/P", "#/components/parameters/Q", "#/nowhere"][..])
            .prop_map(|r| json!({"$ref": r})),
        1 => Just(json!({"name": "id", "in": "query", "content": {"application/json": {}}})),
    ]
}

/// A success response: no body, or a body of any schema (an id phrase makes it an id).
fn success_response(w: u32) -> impl Strategy<Value = Value> {
    (description(w), proptest::option::weighted(0.6, schema(w))).prop_map(|(docs, schema)| {
        let mut r = json!({"description": docs.unwrap_or_default()});
        if let Some(schema) = schema {
            r["content"] = json!({"application/json": {"schema": schema}});
        }
        r
    })
}

/// An error response: a standard error (one kind, or several in `***...***` paragraphs),
/// now and then something else.
fn error_response(w: u32) -> impl Strategy<Value = Value> {
    let standard = (
        pick(
            w,
            &["Vapi.Std.Errors.Error", "Vapi.Std.Errors.NotFound"],
            &["Vapi.Std.Errors.Unknown", "A.B.Spec", "Vapi.Std.Errors."],
        ),
        description(w),
    )
        .prop_map(|(name, docs)| {
            json!({
                "description": docs.unwrap_or_default(),
                "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}},
            })
        });
    prop_oneof![
        6 * w => standard,
        1 => success_response(w),
        1 => Just(json!({"description": "text", "content": {"text/plain": {"schema": {"type": "string"}}}})),
        1 => Just(json!({"description": "no schema", "content": {"application/json": {}}})),
        1 => select(&["#/components/responses/R", "#/nowhere"][..]).prop_map(|r| json!({"$ref": r})),
    ]
}

fn responses(w: u32) -> impl Strategy<Value = Map<String, Value>> {
    let odd = 1.0 / f64::from(w);
    (
        proptest::option::weighted(1.0 - odd, (select(SUCCESS), success_response(w))),
        proptest::collection::vec((select(ERROR_STATUSES), error_response(w)), 0..3),
        proptest::option::weighted(odd, (select(ODD_STATUSES), success_response(w))),
    )
        .prop_map(|(success, errors, odd)| {
            success
                .into_iter()
                .chain(errors)
                .chain(odd)
                .map(|(status, r)| (status.to_owned(), r))
                .collect()
        })
}

/// An operation, with an operationId that mostly follows VMware's `<Tag>_<name>[$Task]`.
fn operation(w: u32) -> impl Strategy<Value = Value> {
    let id = prop_oneof![
        w => (pick(w, TAGS, ODD_TAGS), select(METHOD_NAMES), prop_oneof![w => Just(""), 1 => Just("$Task")])
            .prop_map(|(tag, name, task)| (tag, format!("{tag}_{name}{task}"))),
        1 => (pick(w, TAGS, ODD_TAGS), select(ODD_OPERATION_IDS)).prop_map(|(tag, id)| (tag, id.to_owned())),
    ];
    (
        (
            id,
            prop_oneof![w => Just(true), 1 => Just(false)],
            proptest::collection::vec(parameter(w), 0..3),
            proptest::option::weighted(0.4, prop_oneof![
                6 * w => schema(w).prop_map(|s| json!({"content": {"application/json": {"schema": s}}})),
                1 => Just(json!({"content": {"text/plain": {}}})),
                1 => Just(json!({"content": {"application/json": {}}})),
                1 => Just(json!({"$ref": "#/components/requestBodies/B"})),
            ]),
        ),
        (
            responses(w),
            description(w),
            proptest::option::weighted(
                2.0 / f64::from(w),
                prop_oneof![reference(w).prop_map(|r| json!({"$ref": r})), Just(json!(7))],
            ),
            proptest::option::weighted(0.2, pick(w, &["api_key_auth", "basic_auth"], &["nope", ""])),
        ),
    )
        .prop_map(|(((tag, id), tagged, params, body), (responses, docs, task_result, security))| {
            let tags: Vec<&str> = if tagged { vec![tag] } else { vec![] };
            let op = json!({"operationId": id, "tags": tags, "parameters": params, "responses": responses});
            let op = with(op, "requestBody", body);
            let op = with(op, "description", docs.map(Value::from));
            let op = with(op, "x-vapi-task-result", task_result);
            with(op, "security", security.map(|s| json!([{s: []}])))
        })
}

/// The path items: mostly declared path parameters for the `{id}` of the path key.
fn paths(w: u32) -> impl Strategy<Value = Map<String, Value>> {
    let items = proptest::collection::btree_map(
        pick(w, PATH_KEYS, ODD_PATH_KEYS),
        (
            proptest::collection::btree_map(
                select(&["get", "post", "put", "delete", "patch", "head"][..]),
                operation(w),
                1..3,
            ),
            prop_oneof![w => Just(true), 1 => Just(false)],
        ),
        0..4,
    );
    (items, proptest::option::weighted(0.3, task_items(w)))
    .prop_map(|(items, task)| {
        items
            .into_iter()
            .map(|(key, (ops, declare))| {
                let mut item = Map::new();
                if declare && key.contains("{id}") {
                    item.insert(
                        "parameters".into(),
                        json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]),
                    );
                }
                item.extend(ops.into_iter().map(|(m, op)| (m.to_owned(), op)));
                (key.to_owned(), Value::Object(item))
            })
            .chain(task.into_iter().flatten())
            .collect()
    })
}

/// A task operation as VMware writes one (`$Task`, `vmw-task=true`, a task id answered),
/// with or without a typed result, and sometimes the plain operation beside it.
fn task_items(w: u32) -> impl Strategy<Value = Vec<(String, Value)>> {
    (pick(w, TAGS, ODD_TAGS), any::<bool>(), any::<bool>()).prop_map(|(tag, result, plain)| {
        let answer = json!({"202": {
            "description": "The response will be an identifier for the resource type: `com.vmware.cis.task`.",
            "content": {"application/json": {"schema": {"type": "string"}}},
        }});
        let task = json!({"operationId": format!("{tag}_start$Task"), "tags": [tag], "responses": answer});
        let task = with(task, "x-vapi-task-result", result.then(|| json!({"$ref": "#/components/schemas/A.B.Spec"})));
        let get = json!({"operationId": "Cis.Tasks_get", "tags": ["Cis.Tasks"],
            "parameters": [{"name": "task", "in": "path", "required": true, "schema": {"type": "string"},
                "description": "The parameter must be an identifier for the resource type: `com.vmware.cis.task`."}],
            "responses": {"200": {"description": "The task.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Cis.Task.Info"}}}}}});
        let mut items = vec![
            ("/t?action=start&vmw-task=true".to_owned(), json!({"post": task})),
            ("/cis/tasks/{task}".to_owned(), json!({"get": get})),
        ];
        if plain {
            let op = json!({"operationId": format!("{tag}_start"), "tags": [tag], "responses": {"204": {"description": ""}}});
            items.push(("/t?action=start".to_owned(), json!({"post": op})));
        }
        items
    })
}

/// A whole small spec, as JSON or YAML text.
fn small_spec(w: u32) -> impl Strategy<Value = String> {
    (
        (
            prop_oneof![4 * w => Just(json!("3.0.3")), 1 => Just(json!("3.1.0")), 1 => Just(json!(3))],
            prop_oneof![w => Just(true), 1 => Just(false)],
            // Each ordinary name is present or not (`A.B.Spec` and `X.Y.Thing` are objects,
            // `A.B.Kind` an enum); odd ones come on top.
            {
                let present = 1.0 - 1.0 / f64::from(w);
                let kind = enum_values(w).prop_map(|v| json!({"type": "string", "enum": v}));
                [object(w), object(w), kind.boxed(), named_schema(w), named_schema(w)]
                    .map(|s| proptest::option::weighted(present, s))
            },
            proptest::collection::btree_map(select(ODD_SCHEMA_NAMES), named_schema(w), 0..(5 / w as usize + 1)),
        ),
        (
            paths(w),
            any::<bool>(),
            proptest::collection::vec(
                (pick(w, TAGS, ODD_TAGS), pick(w, DESCRIPTIONS, ODD_DESCRIPTIONS))
                    .prop_map(|(t, d)| json!({"name": t, "description": d})),
                0..2,
            ),
        ),
    )
        .prop_map(|((version, standard, ordinary, odd), (paths, as_yaml, tags))| {
            let mut all = if standard { standard_errors() } else { Map::new() };
            let ordinary = SCHEMA_NAMES.iter().zip(ordinary).filter_map(|(n, s)| Some((*n, s?)));
            all.extend(ordinary.chain(odd).map(|(k, v)| (k.to_owned(), v)));
            let spec = json!({
                "openapi": version,
                "info": {"title": "t", "version": "1"},
                "tags": tags,
                "paths": paths,
                "components": {
                    "schemas": all,
                    "securitySchemes": {
                        "api_key_auth": {"type": "apiKey", "name": "vmware-api-session-id", "in": "header"},
                        "basic_auth": {"type": "http", "scheme": "basic"},
                    },
                },
            });
            if as_yaml {
                serde_yaml::to_string(&spec).expect("a JSON value is YAML")
            } else {
                serde_json::to_string_pretty(&spec).expect("serializes")
            }
        })
}

#[test]
fn random_small_specs() {
    run(
        "small specs",
        cases(SMALL_CASES),
        &SMALL,
        prop_oneof![small_spec(TAME), small_spec(MIDDLE), small_spec(WILD)],
        |text| {
            check(&text, &SMALL)
                .map_err(|why| TestCaseError::fail(format!("{why}\nthe spec:\n{text}")))
        },
    );
}

// ---- the corpus --------------------------------------------------------------------------

static CORPUS: Tally = Tally::new();

#[test]
fn corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds no .yaml file", dir.display());
    let failures: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let text =
                std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            check(&text, &CORPUS)
                .err()
                .map(|why| format!("{}: {why}", path.display()))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!(
        "robustness (corpus): {} files, {} refused with a pointer, 0 panics",
        CORPUS.inputs.load(Ordering::Relaxed),
        CORPUS.refused.load(Ordering::Relaxed)
    );
}

// ---- accepted specs compile ----------------------------------------------------------------

/// How many accepted random specs one run builds into crates and checks as CI checks
/// `generated/`: clippy with `-D warnings` on every target, rustdoc with `-D warnings`, and the
/// crate's own tests. The first pays for building the dependencies (in `target/corpus-build`,
/// shared with `cargo xtask corpus`); a longer hunt: `VAPIGEN_COMPILE_CASES=50`.
const COMPILED_CASES: usize = 3;

/// What CI runs on `generated/` (and `cargo xtask corpus` on each corpus crate): cargo's
/// arguments, and the environment variable the step needs.
type Check = (
    &'static [&'static str],
    Option<(&'static str, &'static str)>,
);
const CRATE_CHECKS: [Check; 3] = [
    (
        &[
            "clippy",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
        None,
    ),
    (
        &["doc", "--no-deps", "--all-features"],
        Some(("RUSTDOCFLAGS", "-D warnings")),
    ),
    (&["test", "--all-features"], None),
];

#[test]
fn accepted_specs_compile() {
    let wanted = std::env::var("VAPIGEN_COMPILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(COMPILED_CASES);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned();
    let strategy = prop_oneof![small_spec(TAME), small_spec(MIDDLE)];
    let mut runner = TestRunner::default();
    let mut accepted = Vec::new();
    for _ in 0..5_000 {
        if accepted.len() == wanted {
            break;
        }
        let Ok(tree) = strategy.new_tree(&mut runner) else {
            continue;
        };
        let text = tree.current();
        // A spec worth compiling: accepted, with operations and types to emit.
        if let Ok(model) = vapigen::model_from_str(&text) {
            if !model.operations.is_empty() && !model.types.is_empty() {
                accepted.push(text);
            }
        }
    }
    assert_eq!(accepted.len(), wanted, "too few accepted specs drawn");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let build = root.join("target").join("corpus-build");
    let mut failed = Vec::new();
    for (i, text) in accepted.iter().enumerate() {
        let dir = root
            .join("target")
            .join("accepted-specs")
            .join(format!("case-{i}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("case folder");
        let spec = dir.join("spec.yaml");
        std::fs::write(&spec, text).expect("spec");
        let mut layout = vapigen::Layout::under(&root);
        layout.spec = spec.clone();
        layout.out = dir.join("crate");
        layout.crate_name = format!("accepted-{i}");
        vapigen::codegen(&layout, false).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
        std::fs::copy(root.join("Cargo.lock"), layout.out.join("Cargo.lock")).expect("lock");
        for (args, env) in CRATE_CHECKS {
            let mut command = std::process::Command::new(&cargo);
            command
                .args(args)
                .current_dir(&layout.out)
                .env("CARGO_TARGET_DIR", &build);
            if let Some((key, value)) = env {
                command.env(key, value);
            }
            let output = command.output().expect("cargo runs");
            if !output.status.success() {
                failed.push(format!(
                    "{}: `cargo {}` failed:\n{}",
                    spec.display(),
                    args.join(" "),
                    String::from_utf8_lossy(&output.stderr)
                ));
                break;
            }
        }
    }
    println!(
        "accepted specs that failed to compile, lint, document or test: {} of {}",
        failed.len(),
        accepted.len()
    );
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}
