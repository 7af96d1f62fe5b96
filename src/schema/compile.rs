//! Compiles schema documents into a flat list of nodes: every `$ref`, `$dynamicRef` and anchor
//! is resolved here, once, so validation never looks anything up by URI.

use crate::json::{Map, Value};

use super::format::Formats;
use super::json::{type_bit, INTEGER};
use super::uri::{escape_token, percent_decode, pointer_tokens, resolve, split_fragment};
use super::Pattern;

pub(crate) type NodeId = usize;

/// The base URI of a root schema without `$id`.
pub(crate) const DEFAULT_BASE: &str = "urn:airflow-trigger:schema";

/// The drafts, in order. Drafts 3, 4, 6 and 2019-09 are read only in the Airflow modes with
/// `python-re`, as python-jsonschema reads them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "python-re"), allow(dead_code))]
pub(crate) enum Draft {
    Draft3,
    Draft4,
    Draft6,
    Draft7,
    Draft2019,
    Draft2020,
}

impl Draft {
    /// Before 2019-09 a `$ref` hides its siblings.
    fn ref_only(self) -> bool {
        !matches!(self, Draft::Draft2019 | Draft::Draft2020)
    }

    /// This draft, which only the `python-re` build reads (so the check costs the default
    /// module nothing).
    fn is(self, d: Draft) -> bool {
        cfg!(feature = "python-re") && self == d
    }

    /// Draft 3 or 4: `id`, boolean `exclusiveMaximum`, and `1.0` is not an integer.
    pub(crate) fn old(self) -> bool {
        self.is(Draft::Draft3) || self.is(Draft::Draft4)
    }

    /// Whether python-jsonschema's validator for drafts 3, 4 and 6 has this keyword (the other
    /// drafts' differences are read keyword by keyword).
    fn knows(self, key: &str) -> bool {
        const D3: &str = "$ref additionalItems additionalProperties dependencies disallow divisibleBy enum extends \
format items maxItems maxLength maximum minItems minLength minimum pattern patternProperties properties type uniqueItems";
        const D4: &str =
            "$ref additionalItems additionalProperties allOf anyOf dependencies enum format items maxItems \
maxLength maxProperties maximum minItems minLength minProperties minimum multipleOf not oneOf pattern \
patternProperties properties required type uniqueItems";
        const D6: &str = "const contains exclusiveMaximum exclusiveMinimum propertyNames";
        let listed = |list: &str| list.split(' ').any(|k| k == key);
        match self {
            _ if !cfg!(feature = "python-re") => true,
            Draft::Draft3 => listed(D3),
            Draft::Draft4 => listed(D4),
            Draft::Draft6 => listed(D4) || listed(D6),
            _ => true,
        }
    }
}

/// Memo keys carry the draft a subschema is read with and whether its `$ref` hides its
/// siblings, above the document index (python-jsonschema reads a subschema with the draft of
/// the schema that reached it, unless it names its own).
const DOC_BITS: u32 = 24;
const DRAFTS: [Draft; 6] =
    [Draft::Draft3, Draft::Draft4, Draft::Draft6, Draft::Draft7, Draft::Draft2019, Draft::Draft2020];
/// The dynamic anchor a 2019-09 `$recursiveAnchor: true` stands for (no `$dynamicAnchor` can
/// be named so).
pub(crate) const RECURSIVE: &str = "#recursive";
/// No node (a [`Node`] field's "none").
#[cfg(feature = "python-re")]
pub(crate) const UNREGISTERED: usize = usize::MAX;
/// While compiling, a node's `scope` from here on names a base URI no resource has.
#[cfg(feature = "python-re")]
const PHANTOM: usize = usize::MAX / 2;
const DOC_MASK: usize = if cfg!(feature = "python-re") { (1 << DOC_BITS) - 1 } else { usize::MAX };

fn tagged(loc: Loc, draft: Draft, ref_only: bool) -> Loc {
    if !cfg!(feature = "python-re") {
        return loc;
    }
    (loc.0 | ((draft as usize) << 1 | ref_only as usize) << DOC_BITS, loc.1)
}

pub(crate) struct Node {
    pub(crate) kind: NodeKind,
    /// Where the schema is, for `schemaPath`: `#/properties/a` or `http://x/y.json#/$defs/a`.
    pub(crate) location: String,
    /// The schema resource it belongs to (for `$dynamicRef`'s dynamic scope).
    pub(crate) resource: usize,
    /// The resource of the base URI Python's resolver has here (which `not`, `if` and
    /// `contains` do not move): what a `$ref` from here pushes onto the dynamic scope.
    /// Where no resource has that URI, a [`Resource`] that says so (a lookup there raises).
    #[cfg(feature = "python-re")]
    pub(crate) scope: usize,
    /// Whether its `$ref` (bit 1) or `$dynamicRef` (bit 2) looks up the very URI that base is:
    /// then Python's resolver pushes nothing onto a dynamic scope it has already. Bits 4 and 8:
    /// whether that lookup crawls the registry (see `crawls`).
    #[cfg(feature = "python-re")]
    pub(crate) same_base: u8,
    /// Its `$ref`'s target once the resolver carries the crawled registry, where that differs
    /// (a subschema repeating the root's id); [`UNREGISTERED`] otherwise.
    #[cfg(feature = "python-re")]
    pub(crate) crawled_ref: NodeId,
    /// As a `oneOf` branch after the first that passes, the node Python tries instead (its own
    /// id not moving the base URI); [`UNREGISTERED`] for itself.
    #[cfg(feature = "python-re")]
    pub(crate) evolve: NodeId,
    /// Its `default` and the bytes of its JSON, kept only when compiling for `useDefaults`.
    pub(crate) default: Option<(Value, usize)>,
}

pub(crate) enum NodeKind {
    Bool(bool),
    Keywords(Vec<Kw>),
}

/// One entry of a draft-3 `type` or `disallow`, in order.
#[cfg(feature = "python-re")]
pub(crate) enum Type3 {
    Bits(u8),
    Schema(NodeId),
    /// python-jsonschema raises `UnknownType` when it gets there.
    Unknown(String),
}

#[cfg(feature = "python-re")]
#[path = "pywalk.rs"]
pub(crate) mod pywalk;

pub(crate) enum Kw {
    /// 2019-09's and 2020-12's `unevaluatedProperties` as python-jsonschema 4.26 has them (the
    /// Airflow modes): the subschema, and the walk that finds the evaluated keys (pywalk.rs).
    #[cfg(feature = "python-re")]
    PyUnevalProps(NodeId, pywalk::WalkId),
    /// `unevaluatedItems` likewise: the walk (which tries the subschema on each item itself).
    #[cfg(feature = "python-re")]
    PyUnevalItems(pywalk::WalkId),
    /// The schema's order of the `properties` beside it (indices into their sorted list).
    #[cfg(feature = "python-re")]
    PyOrder(Vec<usize>),
    /// Where python-jsonschema raises for a non-empty array only (a string zipped with its
    /// items as if it listed schemas).
    #[cfg(feature = "python-re")]
    RaiseItems(String),
    /// Draft 3's `type` (or `disallow`, when true): type names and schemas.
    #[cfg(feature = "python-re")]
    Type3(Vec<Type3>, bool),
    /// Where python-jsonschema raises only once it gets there (a `$ref` it cannot resolve, a
    /// subschema that is not a schema): the Airflow modes stop the validation there.
    /// (Only for values of these types: the keyword raises where it applies.)
    #[cfg(feature = "python-re")]
    Raise(u8, String),
    Ref(NodeId),
    /// The static target, and the anchor name when the reference is dynamic.
    DynamicRef(NodeId, Option<String>),
    Type(u8),
    Enum(Vec<Value>),
    Const(Value),
    MultipleOf(crate::json::Number),
    Maximum(crate::json::Number),
    ExclusiveMaximum(crate::json::Number),
    Minimum(crate::json::Number),
    ExclusiveMinimum(crate::json::Number),
    MaxLength(u64),
    MinLength(u64),
    Pattern(Pattern),
    Format(String),
    MaxItems(u64),
    MinItems(u64),
    UniqueItems,
    MaxProperties(u64),
    MinProperties(u64),
    Required(Vec<String>),
    /// With the keyword's name in the schema: draft-07's `dependencies` or `dependentRequired`.
    DependentRequired(Vec<(String, Vec<String>)>, &'static str),
    /// Sorted by name.
    Properties(Vec<(String, NodeId)>),
    PatternProperties(Vec<(Pattern, NodeId)>),
    AdditionalProperties(NodeId),
    PropertyNames(NodeId),
    /// With the keyword's name in the schema: draft-07's `dependencies` or `dependentSchemas`.
    DependentSchemas(Vec<(String, NodeId)>, &'static str),
    PrefixItems(Vec<NodeId>),
    Items(NodeId),
    /// Draft 7's `additionalItems`, after an `items` array of this length.
    AdditionalItems(usize, NodeId),
    Contains(NodeId, u64, Option<u64>),
    AllOf(Vec<NodeId>),
    AnyOf(Vec<NodeId>),
    OneOf(Vec<NodeId>),
    Not(NodeId),
    If(NodeId, Option<NodeId>, Option<NodeId>),
    UnevaluatedProperties(NodeId),
    UnevaluatedItems(NodeId),
}

impl Kw {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            #[cfg(feature = "python-re")]
            Kw::Type3(_, disallow) => ["type", "disallow"][*disallow as usize],
            #[cfg(feature = "python-re")]
            Kw::Raise(..) => "schema",
            #[cfg(feature = "python-re")]
            Kw::RaiseItems(_) => "schema",
            #[cfg(feature = "python-re")]
            Kw::PyOrder(_) => "properties",
            #[cfg(feature = "python-re")]
            #[cfg(feature = "python-re")]
            Kw::PyUnevalProps(..) => "unevaluatedProperties",
            #[cfg(feature = "python-re")]
            Kw::PyUnevalItems(_) => "unevaluatedItems",
            Kw::Ref(_) => "$ref",
            Kw::DynamicRef(..) => "$dynamicRef",
            Kw::Type(_) => "type",
            Kw::Enum(_) => "enum",
            Kw::Const(_) => "const",
            Kw::MultipleOf(_) => "multipleOf",
            Kw::Maximum(_) => "maximum",
            Kw::ExclusiveMaximum(_) => "exclusiveMaximum",
            Kw::Minimum(_) => "minimum",
            Kw::ExclusiveMinimum(_) => "exclusiveMinimum",
            Kw::MaxLength(_) => "maxLength",
            Kw::MinLength(_) => "minLength",
            Kw::Pattern(_) => "pattern",
            Kw::Format(_) => "format",
            Kw::MaxItems(_) => "maxItems",
            Kw::MinItems(_) => "minItems",
            Kw::UniqueItems => "uniqueItems",
            Kw::MaxProperties(_) => "maxProperties",
            Kw::MinProperties(_) => "minProperties",
            Kw::Required(_) => "required",
            Kw::DependentRequired(_, name) => name,
            Kw::Properties(_) => "properties",
            Kw::PatternProperties(_) => "patternProperties",
            Kw::AdditionalProperties(_) => "additionalProperties",
            Kw::PropertyNames(_) => "propertyNames",
            Kw::DependentSchemas(_, name) => name,
            Kw::PrefixItems(_) => "prefixItems",
            Kw::Items(_) => "items",
            Kw::AdditionalItems(..) => "additionalItems",
            Kw::Contains(..) => "contains",
            Kw::AllOf(_) => "allOf",
            Kw::AnyOf(_) => "anyOf",
            Kw::OneOf(_) => "oneOf",
            Kw::Not(_) => "not",
            Kw::If(..) => "if",
            Kw::UnevaluatedProperties(_) => "unevaluatedProperties",
            Kw::UnevaluatedItems(_) => "unevaluatedItems",
        }
    }
}

pub(crate) struct Resource {
    pub(crate) dynamic_anchors: Vec<(String, NodeId)>,
    /// Its URI ([`DEFAULT_BASE`] for a root without `$id`), and whether the registry has it (a
    /// base URI an id gives where the crawl does not look has none: a lookup there raises).
    #[cfg(feature = "python-re")]
    pub(crate) uri: String,
    #[cfg(feature = "python-re")]
    pub(crate) registered: bool,
    /// The root without `$id`: its base URI is empty for Python's resolver.
    #[cfg(feature = "python-re")]
    pub(crate) anonymous: bool,
    /// Its `$recursiveAnchor` subschema with this resource's URI as its base, where that is not
    /// the base it has where it sits: what `$recursiveRef`'s search finds when it looks the URI
    /// up again (`resolver.lookup(uri)`).
    #[cfg(feature = "python-re")]
    pub(crate) recursive_here: Option<NodeId>,
}

pub(crate) struct Compiled {
    pub(crate) nodes: Vec<Node>,
    /// python-jsonschema's `unevaluated*` walks (the Airflow modes).
    #[cfg(feature = "python-re")]
    pub(crate) walks: Vec<pywalk::Walk>,
    /// A dynamic lookup's winner as `DynamicAnchor.resolve` hands it over: its base URI the
    /// looked-up URI joined with its id, not its own. ((referring node, static target, winner
    /// as compiled), the node compiled with that base), sorted.
    #[cfg(feature = "python-re")]
    pub(crate) winners: Vec<((NodeId, NodeId, NodeId), NodeId)>,
    /// A `$recursiveRef`'s `#` once the resolver carries the crawled registry, where a
    /// subschema repeats the root's id: (referring node, that subschema, its anchor), sorted.
    #[cfg(feature = "python-re")]
    pub(crate) crawled_recursive: Vec<(NodeId, NodeId, Option<String>)>,
    pub(crate) resources: Vec<Resource>,
    pub(crate) root: NodeId,
    pub(crate) needs_annotations: bool,
}

/// What the scan learnt about one subschema location.
#[derive(Clone)]
struct Info {
    base: String,
    draft: Draft,
    resource: usize,
    validation: bool,
}

type Loc = (usize, String);

struct ResourceEntry {
    uri: String,
    loc: Loc,
    dynamic_anchors: Vec<(String, Loc)>,
}

pub(crate) struct Compiler<'a> {
    docs: Vec<&'a Value>,
    formats: Formats,
    /// The caller's own format names (asserted in every mode).
    added: &'a [&'a str],
    strict: bool,
    resources: Vec<ResourceEntry>,
    by_uri: VecMap<String, usize>,
    anchors: VecMap<String, Loc>,
    info: VecMap<Loc, Info>,
    nodes: Vec<Node>,
    memo: VecMap<Loc, NodeId>,
    queue: Vec<(NodeId, Loc)>,
    needs_annotations: bool,
    uses_dynamic: bool,
    regex: &'a dyn Fn(&str) -> Result<Pattern, String>,
    /// Bytes of the subschemas' locations so far (see [`LOCATION_BYTES`]).
    location_bytes: usize,
    /// While scanning below a nested `$schema` whose ids Python's `descend` reads otherwise:
    /// the base URI `$ref`s resolve against there.
    #[cfg(feature = "python-re")]
    eval_base: Vec<Option<String>>,
    #[cfg(feature = "python-re")]
    walks: Vec<pywalk::Walk>,
    #[cfg(feature = "python-re")]
    walk_memo: VecMap<String, usize>,
    /// Subschemas whose id Python's `urljoin` refuses: `descend` raises there.
    #[cfg(feature = "python-re")]
    bad_ids: VecMap<Loc, String>,
    /// Subschemas scanned again from another base URI (for the walks), by location and base.
    #[cfg(feature = "python-re")]
    rebased: VecMap<String, NodeId>,
    /// Why `referencing`'s crawl of the root raises, if it does.
    #[cfg(feature = "python-re")]
    crawl_raises: Option<String>,
    /// [`Node::same_base`] and [`Node::crawled_ref`] of the node being compiled.
    #[cfg(feature = "python-re")]
    same_base: u8,
    #[cfg(feature = "python-re")]
    crawled_ref: NodeId,
    /// Where the crawl files the root's own id, when a subschema repeats it (its pointer).
    #[cfg(feature = "python-re")]
    crawled_root: Option<String>,
    /// The specification `referencing` reads each crawled resource by (its pointer): a nested
    /// `$schema` that `validator_for` does not know may still name one (`specification_with`).
    #[cfg(feature = "python-re")]
    crawled_drafts: VecMap<String, Draft>,
    /// Dynamic lookups: (referring node, static target, looked-up URI, anchor name); those of
    /// the node being compiled have `UNREGISTERED` as the referring node.
    #[cfg(feature = "python-re")]
    dynamic_lookups: Vec<(NodeId, NodeId, String, String)>,
    /// Each looked-up `URI#name`'s winners compiled for their base: (as compiled, recompiled).
    #[cfg(feature = "python-re")]
    winners_of: VecMap<String, Vec<(NodeId, NodeId)>>,
    /// [`Compiled::crawled_recursive`]; the node being compiled's has `UNREGISTERED`.
    #[cfg(feature = "python-re")]
    crawled_recursive: Vec<(NodeId, NodeId, Option<String>)>,
    /// [`Resource::recursive_here`] by resource; None until `rebase_winners` made them.
    #[cfg(feature = "python-re")]
    recursive_here: Vec<(usize, NodeId)>,
    #[cfg(feature = "python-re")]
    recursive_done: bool,
    /// Each node's memo key (its location, tagged), by node.
    #[cfg(feature = "python-re")]
    node_locs: Vec<Loc>,
    /// Base URIs no resource has, that nodes' `scope` names.
    #[cfg(feature = "python-re")]
    phantoms: Vec<String>,
    #[cfg(feature = "python-re")]
    phantom_index: VecMap<String, usize>,
    /// How many subschemas `rebased` has scanned again (see [`MAX_REBASED`]).
    #[cfg(feature = "python-re")]
    rebased_size: usize,
    /// The documents `rebased` made, and where each one's original is.
    #[cfg(feature = "python-re")]
    rebased_docs: Vec<(usize, Loc)>,
    /// The URI python-jsonschema registers the root under (its id, or DEFAULT_BASE for none).
    #[cfg(feature = "python-re")]
    root_uri: String,
    /// How many of the subschemas being scanned are where Python's registry does not look.
    #[cfg(feature = "python-re")]
    uncrawled: usize,
    /// The next subschema scanned is one Python reaches by `evolve(...).is_valid`.
    #[cfg(feature = "python-re")]
    skip_id: bool,
}

/// Most bytes the subschemas' locations may take in all.
const LOCATION_BYTES: usize = 32 << 20;
/// How many subschemas may be compiled again for another base URI (Python's resolver reaches
/// them lazily, path by path; this crate compiles each (subschema, base) ahead): beyond it, the
/// schema does not compile.
#[cfg(feature = "python-re")]
const MAX_REBASED: usize = 50_000;

/// The draft python-jsonschema's `validator_for` picks for a schema (the Airflow modes): its
/// `$schema` as `urlsplit(…).geturl()` writes it, looked up exactly; `default` for any other (the
/// root's default is 2020-12, a subschema's the draft that reached it). Without `python-re` the
/// drafts other than 7 and 2020-12 are refused, not read as another.
pub(crate) fn python_draft(schema: &Value, default: Draft) -> Result<Draft, String> {
    let Some(s) = schema.get("$schema").and_then(Value::as_str) else { return Ok(default) };
    let t = python_uri(s)?;
    let draft = match t.as_str() {
        "http://json-schema.org/draft-07/schema" => Draft::Draft7,
        "https://json-schema.org/draft/2020-12/schema" => Draft::Draft2020,
        #[cfg(feature = "python-re")]
        "http://json-schema.org/draft-03/schema" => Draft::Draft3,
        #[cfg(feature = "python-re")]
        "http://json-schema.org/draft-04/schema" => Draft::Draft4,
        #[cfg(feature = "python-re")]
        "http://json-schema.org/draft-06/schema" => Draft::Draft6,
        #[cfg(feature = "python-re")]
        "https://json-schema.org/draft/2019-09/schema" => Draft::Draft2019,
        // Without `python-re` any other `$schema` is declined: the other drafts python-jsonschema
        // knows, the spellings `urlsplit` rewrites, and custom metaschemas, all read as 2020-12
        // there (which this module could not tell apart without their names).
        #[cfg(not(feature = "python-re"))]
        _ => return Err(not_read(&t)),
        #[cfg(feature = "python-re")]
        _ => default,
    };
    Ok(draft)
}

/// What `urlsplit(uri).geturl()` gives for a `$schema` (Python 3.11): leading controls and
/// spaces stripped, tabs and line breaks removed, the scheme lowercased, an empty query or
/// fragment dropped; an unbalanced `[` in the authority refused, as `urlsplit` does.
#[cfg(feature = "python-re")]
fn python_uri(s: &str) -> Result<String, String> {
    let mut t: String =
        s.trim_start_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let b = t.as_bytes();
    let scheme = b.iter().position(|&c| c == b':').unwrap_or(0);
    let valid = scheme > 0
        && b[0].is_ascii_alphabetic()
        && b[..scheme].iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'));
    let rest = if valid { scheme + 1 } else { 0 };
    if let Some(auth) = t.get(rest..).and_then(|r| r.strip_prefix("//")) {
        let host = auth.split(['/', '?', '#']).next().unwrap_or("");
        let why = match (host.split_once('['), host.contains(']')) {
            (None, false) => None,
            (Some((_, inner)), true) => bracketed_host(inner.split(']').next().unwrap_or("")),
            _ => Some("Invalid IPv6 URL"),
        };
        if let Some(why) = why {
            return Err(format!("$schema: {}: Python's urlsplit refuses it ({why})", crate::json::quoted(s)));
        }
    }
    if valid {
        if let Some(scheme) = t.get_mut(..scheme) {
            scheme.make_ascii_lowercase();
        }
    }
    let first = |t: &str, c: u8| t.bytes().position(|b| b == c);
    if first(&t, b'#').is_some_and(|h| h + 1 == t.len()) {
        t.pop();
    }
    if first(&t, b'#').is_none() && first(&t, b'?').is_some_and(|q| q + 1 == t.len()) {
        t.pop();
    }
    Ok(t)
}

/// The id python-jsonschema's `descend` moves the base URI by, with draft `d`'s rule (`id` in
/// drafts 3 and 4; before 2019-09 none beside a `$ref`, and none that is only a `#name`).
#[cfg(feature = "python-re")]
pub(crate) fn python_id(obj: &Map, d: Draft) -> Option<&str> {
    let id = obj.get(if d.old() { "id" } else { "$id" }).and_then(Value::as_str);
    id.filter(|id| !(d.ref_only() && (obj.contains_key("$ref") || id.starts_with('#'))))
}

/// The base URI `DynamicAnchor.resolve` hands a winner (`value`, read as `draft`) found by a
/// lookup of `uri`: `uri` joined with the winner's id (`in_subresource`), else `uri`. None where
/// `urljoin` raises.
#[cfg(feature = "python-re")]
fn winner_base(uri: &str, draft: Draft, value: &Value) -> Option<String> {
    let py = if uri == DEFAULT_BASE { "" } else { uri };
    Some(match super::pycrawl::id_of(draft, value) {
        Ok(Some(id)) => match super::pyurl::urljoin(py, &id).ok()? {
            u if u.is_empty() => DEFAULT_BASE.to_owned(),
            u => u,
        },
        _ => uri.to_owned(),
    })
}

/// Python's `int()` of a JSON Pointer token, as `referencing` indexes an array (`-1` is the last
/// item; Unicode spaces around, a sign, `_` between digits and any Unicode decimal digit).
#[cfg(feature = "python-re")]
pub(crate) fn py_index(token: &str, len: usize) -> Option<usize> {
    let (negative, n) = super::pychars::python_int(token, 10)?;
    let n = usize::try_from(n).ok()?;
    match negative {
        true if n == 0 => Some(0),
        true => len.checked_sub(n),
        false => Some(n),
    }
}

/// Python 3.11's `_check_bracketed_host`: why a host in brackets is refused, if it is.
#[cfg(feature = "python-re")]
pub(crate) fn bracketed_host(host: &str) -> Option<&'static str> {
    if let Some(future) = host.strip_prefix('v') {
        // \Av[a-fA-F0-9]+\..+\Z
        let (hex, rest) = future.split_once('.').unwrap_or((future, ""));
        let ok =
            !hex.is_empty() && hex.bytes().all(|c| c.is_ascii_hexdigit()) && !rest.is_empty() && !rest.contains('\n');
        return (!ok).then_some("IPvFuture address is invalid");
    }
    if host.parse::<std::net::Ipv4Addr>().is_ok() {
        return Some("An IPv4 address cannot be in brackets");
    }
    let addr = match host.split_once('%') {
        Some((_, scope)) if scope.is_empty() || scope.contains('%') => None,
        Some((addr, _)) => Some(addr),
        None => Some(host),
    };
    match addr.map(str::parse::<std::net::Ipv6Addr>) {
        Some(Ok(_)) => None,
        _ => Some("does not appear to be an IPv4 or IPv6 address"),
    }
}

/// Without `python-re` (the npm package's default module, whose size is budgeted): the scheme
/// lowercased and an empty fragment dropped; the other drafts, nested `$schema`s and the
/// spellings `urlsplit` rewrites otherwise are declined.
#[cfg(not(feature = "python-re"))]
fn python_uri(s: &str) -> Result<String, String> {
    let mut t = s.to_owned();
    if t.ends_with('#') {
        t.pop();
    }
    let scheme = t.bytes().position(|b| b == b':').unwrap_or(0);
    if let Some(scheme) = t.get_mut(..scheme) {
        scheme.make_ascii_lowercase();
    }
    Ok(t)
}

fn not_read(what: &str) -> String {
    format!("$schema: {what} is not a draft this crate reads here")
}

fn draft_of(schema: &Value, inherited: Draft) -> Draft {
    match schema.get("$schema").and_then(Value::as_str) {
        Some(s) if ["draft-07", "draft-06", "draft-04"].iter().any(|d| crate::text::contains(s, d)) => Draft::Draft7,
        Some(s) if crate::text::contains(s, "json-schema.org/draft/") => Draft::Draft2020,
        _ => inherited,
    }
}

impl<'a> Compiler<'a> {
    /// `docs[0]` is the root schema; the others are registered resources with their URIs.
    pub(crate) fn compile(
        root: &'a Value,
        resources: &'a [(String, Value)],
        (formats, added): (Formats, &'a [&'a str]),
        (strict, use_defaults): (bool, bool),
        regex: &'a dyn Fn(&str) -> Result<Pattern, String>,
    ) -> Result<Compiled, String> {
        let mut c = Compiler {
            docs: vec![root],
            formats,
            added,
            strict,
            resources: Vec::new(),
            by_uri: VecMap::new(),
            anchors: VecMap::new(),
            info: VecMap::new(),
            nodes: Vec::new(),
            memo: VecMap::new(),
            queue: Vec::new(),
            needs_annotations: false,
            uses_dynamic: false,
            regex,
            location_bytes: 0,
            #[cfg(feature = "python-re")]
            eval_base: Vec::new(),
            #[cfg(feature = "python-re")]
            uncrawled: 0,
            #[cfg(feature = "python-re")]
            skip_id: false,
            #[cfg(feature = "python-re")]
            walks: Vec::new(),
            #[cfg(feature = "python-re")]
            walk_memo: VecMap::new(),
            #[cfg(feature = "python-re")]
            rebased: VecMap::new(),
            #[cfg(feature = "python-re")]
            bad_ids: VecMap::new(),
            #[cfg(feature = "python-re")]
            crawl_raises: None,
            #[cfg(feature = "python-re")]
            same_base: 0,
            #[cfg(feature = "python-re")]
            crawled_ref: UNREGISTERED,
            #[cfg(feature = "python-re")]
            crawled_root: None,
            #[cfg(feature = "python-re")]
            crawled_drafts: VecMap::new(),
            #[cfg(feature = "python-re")]
            dynamic_lookups: Vec::new(),
            #[cfg(feature = "python-re")]
            winners_of: VecMap::new(),
            #[cfg(feature = "python-re")]
            crawled_recursive: Vec::new(),
            #[cfg(feature = "python-re")]
            node_locs: Vec::new(),
            #[cfg(feature = "python-re")]
            recursive_here: Vec::new(),
            #[cfg(feature = "python-re")]
            recursive_done: false,
            #[cfg(feature = "python-re")]
            phantoms: Vec::new(),
            #[cfg(feature = "python-re")]
            phantom_index: VecMap::new(),
            #[cfg(feature = "python-re")]
            rebased_docs: Vec::new(),
            #[cfg(feature = "python-re")]
            rebased_size: 0,
            #[cfg(feature = "python-re")]
            root_uri: String::new(),
        };
        let root_draft = match formats.python() {
            true => python_draft(root, Draft::Draft2020)?,
            false => draft_of(root, Draft::Draft2020),
        };
        c.scan(0, String::new(), root, DEFAULT_BASE.to_string(), root_draft, true)?;
        #[cfg(feature = "python-re")]
        if formats.python() {
            c.root_uri = c.resources.first().map_or_else(|| DEFAULT_BASE.into(), |r| r.uri.clone());
            let uri = if c.root_uri == DEFAULT_BASE { "" } else { &c.root_uri };
            match super::pycrawl::crawl(root, root_draft, uri) {
                Ok(registry) => c.file_as_crawled(&registry),
                Err(why) => c.crawl_raises = Some(why),
            }
        }
        for (uri, schema) in resources {
            let doc = c.docs.len();
            c.docs.push(schema);
            let draft = draft_of(schema, root_draft);
            let (uri, _) = split_fragment(uri);
            c.scan(doc, String::new(), schema, uri.to_string(), draft, true)?;
        }
        // Custom metaschemas: a `$vocabulary` without the validation vocabulary turns it off.
        let infos: Vec<(Loc, Option<String>)> = c
            .resources
            .iter()
            .map(|r| {
                (
                    r.loc.clone(),
                    c.value_at(&r.loc).and_then(|v| v.get("$schema")).and_then(Value::as_str).map(String::from),
                )
            })
            .collect();
        // (python-jsonschema ignores `$vocabulary`: so do the Airflow modes.)
        for (loc, meta) in infos.into_iter().filter(|_| !formats.python()) {
            let Some(meta) = meta else { continue };
            let Some(&mi) = c.by_uri.get(split_fragment(&meta).0) else { continue };
            let mloc = c.resources[mi].loc.clone();
            if let Some(Value::Object(vocab)) = c.value_at(&mloc).and_then(|v| v.get("$vocabulary")) {
                if !vocab.keys().any(|k| k.ends_with("/vocab/validation")) {
                    let res = c.info.get(&loc).map(|i| i.resource);
                    for info in c.info.values_mut() {
                        if Some(info.resource) == res {
                            info.validation = false;
                        }
                    }
                }
            }
        }
        let root_id = c.node_for((0, String::new()), None, false)?;
        // Compile queued nodes; then the dynamic anchors of every resource that was reached
        // (a $dynamicRef may land on any of them), until nothing new is reached.
        let mut done = vec![false; c.resources.len()];
        #[cfg(feature = "python-re")]
        let (mut winners, mut lookups_done) = (Vec::new(), 0);
        loop {
            while let Some((id, loc)) = c.queue.pop() {
                let kind = c.compile_node(&loc)?;
                c.nodes[id].kind = kind;
                #[cfg(feature = "python-re")]
                {
                    c.nodes[id].same_base = std::mem::take(&mut c.same_base);
                    c.nodes[id].crawled_ref = std::mem::replace(&mut c.crawled_ref, UNREGISTERED);
                    for lookup in c.dynamic_lookups.iter_mut().rev().take_while(|l| l.0 == UNREGISTERED) {
                        lookup.0 = id;
                    }
                    if let Some(last) = c.crawled_recursive.last_mut().filter(|l| l.0 == UNREGISTERED) {
                        last.0 = id;
                    }
                }
                if use_defaults {
                    c.nodes[id].default = c.value_at(&loc).and_then(|v| v.get("default")).map(|d| {
                        let mut text = String::new();
                        crate::json::write_value(&mut text, d);
                        (d.clone(), text.len())
                    });
                }
            }
            if !c.uses_dynamic {
                break;
            }
            done.resize(c.resources.len(), false);
            // (In the Airflow modes `$recursiveRef` looks the dynamic scope's URIs up again from
            // where it is, which may land on any resource.)
            #[cfg(feature = "python-re")]
            let reached: Vec<usize> = (0..c.resources.len())
                .filter(|&r| !done[r] && (formats.python() || c.nodes.iter().any(|n| n.resource == r)))
                .collect();
            #[cfg(not(feature = "python-re"))]
            let reached: Vec<usize> =
                (0..c.resources.len()).filter(|&r| !done[r] && c.nodes.iter().any(|n| n.resource == r)).collect();
            if reached.is_empty() {
                #[cfg(feature = "python-re")]
                if c.formats.python() && c.rebase_winners(&mut winners, &mut lookups_done)? {
                    continue;
                }
                break;
            }
            for r in reached {
                done[r] = true;
                for (_, loc) in c.resources[r].dynamic_anchors.clone() {
                    c.node_for(loc, None, false)?;
                }
            }
        }
        let mut resources = Vec::new();
        for r in 0..c.resources.len() {
            let mut anchors = Vec::new();
            if done.get(r).copied().unwrap_or(false) {
                for (name, loc) in c.resources[r].dynamic_anchors.clone() {
                    let key = match cfg!(feature = "python-re") {
                        true => match c.info.get(&loc).map(|i| i.draft) {
                            Some(d) => tagged(loc, d, d.ref_only()),
                            None => loc,
                        },
                        false => loc,
                    };
                    if let Some(&id) = c.memo.get(&key) {
                        anchors.push((name, id));
                    }
                }
            }
            resources.push(Resource {
                dynamic_anchors: anchors,
                #[cfg(feature = "python-re")]
                uri: c.resources[r].uri.clone(),
                #[cfg(feature = "python-re")]
                registered: true,
                #[cfg(feature = "python-re")]
                anonymous: c.resources[r].uri == DEFAULT_BASE,
                #[cfg(feature = "python-re")]
                recursive_here: c.recursive_here.iter().find(|e| e.0 == r).map(|e| e.1),
            });
        }
        // (Base URIs no resource has, after the resources: where nodes' `scope` says so.)
        #[cfg(feature = "python-re")]
        {
            let first = resources.len();
            for uri in std::mem::take(&mut c.phantoms) {
                resources.push(Resource {
                    dynamic_anchors: Vec::new(),
                    uri,
                    registered: false,
                    anonymous: false,
                    recursive_here: None,
                });
            }
            for node in &mut c.nodes {
                if node.scope >= PHANTOM {
                    node.scope = first + (node.scope - PHANTOM);
                }
            }
            for walk in &mut c.walks {
                for step in &mut walk.steps {
                    if let pywalk::Step::Walk(_, Some((scope, _))) | pywalk::Step::Dynamic(.., Some((scope, _))) = step
                    {
                        if *scope >= PHANTOM {
                            *scope = first + (*scope - PHANTOM);
                        }
                    }
                }
            }
        }
        Ok(Compiled {
            nodes: c.nodes,
            #[cfg(feature = "python-re")]
            walks: c.walks,
            #[cfg(feature = "python-re")]
            winners: {
                winners.sort_unstable();
                winners
            },
            #[cfg(feature = "python-re")]
            crawled_recursive: {
                let mut list = c.crawled_recursive;
                list.sort_unstable_by_key(|e| e.0);
                list
            },
            resources,
            root: root_id,
            needs_annotations: c.needs_annotations,
        })
    }

    fn value_at(&self, loc: &Loc) -> Option<&'a Value> {
        let mut v = self.docs[loc.0 & DOC_MASK];
        for token in pointer_tokens(&loc.1)? {
            v = match v {
                Value::Object(m) => m.get(&token)?,
                #[cfg(feature = "python-re")]
                Value::Array(a) if self.formats.python() => a.get(py_index(&token, a.len())?)?,
                Value::Array(a) => a.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(v)
    }

    /// Records ids, anchors and the base URI of every subschema.
    fn scan(
        &mut self,
        doc: usize,
        ptr: String,
        schema: &'a Value,
        base: String,
        draft: Draft,
        is_root: bool,
    ) -> Result<(), String> {
        let retrieval = base.clone();
        // Reached by `evolve(...).is_valid` (`not`, `if`, `contains`), Python keeps the resolver it
        // had: this subschema's own id does not move the base URI.
        #[cfg(feature = "python-re")]
        let skip_id = std::mem::take(&mut self.skip_id);
        // Every subschema keeps its location: long keys under many siblings made compiling a
        // 232 KB schema take gigabytes. The locations may take at most LOCATION_BYTES in all.
        self.location_bytes += ptr.len();
        if self.location_bytes > LOCATION_BYTES {
            return Err(format!(
                "the schema's locations (JSON Pointers of its subschemas) take more than {} MB: its keys are too long for how many subschemas it has",
                LOCATION_BYTES >> 20
            ));
        }
        let Value::Object(obj) = schema else {
            if is_root {
                self.add_resource(&base, (doc, ptr.clone()));
            }
            let resource = self.by_uri.get(&base).copied().unwrap_or(0);
            self.info.insert_new((doc, ptr), Info { base, draft, resource, validation: true });
            return Ok(());
        };
        #[cfg(feature = "python-re")]
        let reached = draft;
        let draft = match self.formats.python() {
            // A nested `$schema` switches the draft (python-jsonschema's `evolve`).
            true if !is_root && cfg!(feature = "python-re") => python_draft(schema, draft)?,
            true if !is_root && obj.contains_key("$schema") => return Err(not_read("one in a subschema")),
            true => draft,
            false => draft_of(schema, draft),
        };
        let mut base = base;
        let mut resource = None;
        #[cfg(feature = "python-re")]
        let mut root_moved = false;
        #[cfg(feature = "python-re")]
        let id_in = |d: Draft| python_id(obj, d);
        // Python's `descend` moves the base URI with the reaching draft's rule for ids (its
        // `specification`), and its registry with the subschema's own: below a nested `$schema`,
        // `$ref`s resolve against the former.
        #[cfg(feature = "python-re")]
        let moved = {
            let from = self.eval_base.last().cloned().flatten();
            let rule = if self.formats.python() && !is_root { reached } else { draft };
            match id_in(rule).filter(|_| !skip_id) {
                Some(id) if from.is_some() || rule != draft => {
                    let from = from.unwrap_or_else(|| base.clone());
                    // (Where `urljoin` raises, Python's `descend` raises there: lazily.)
                    let joined = self.join(&from, id).unwrap_or_else(|why| {
                        self.bad_ids.insert((doc, ptr.clone()), why);
                        from
                    });
                    self.eval_base.push(Some(joined));
                    true
                }
                None if from.is_none() && (rule != draft || skip_id) && id_in(draft).is_some() => {
                    self.eval_base.push(Some(base.clone()));
                    true
                }
                _ => false,
            }
        };
        // Python's registry finds ids and anchors only where its draft's list of subschema
        // keywords leads (`referencing`): elsewhere an id moves the base URI, and no more.
        #[cfg(feature = "python-re")]
        let crawled = is_root || !self.formats.python() || self.uncrawled == 0;
        #[cfg(not(feature = "python-re"))]
        let crawled = true;
        let python = cfg!(feature = "python-re") && self.formats.python();
        let id = obj.get(if draft.old() { "id" } else { "$id" }).and_then(Value::as_str);
        let ignore_id = draft.ref_only() && obj.contains_key("$ref");
        match id {
            // (A `#name` id is an anchor even beside a `$ref` for Python's registry.)
            Some(id) if (python || !ignore_id) && draft.ref_only() && id.starts_with('#') => {
                let key = format!("{base}{id}");
                if crawled {
                    self.anchors.insert(key, (doc, ptr.clone()));
                }
            }
            // (Python's registry keeps an id's fragment: `http://x/b#f` is not `http://x/b`.)
            Some(id) if !ignore_id && python => {
                // (Where `urljoin` raises, Python's `descend` raises there, and its crawl: lazily.)
                let (uri, crawled) = match self.join(&base, id) {
                    Ok(uri) => (uri, crawled),
                    Err(why) => {
                        #[cfg(feature = "python-re")]
                        if !skip_id && !is_root {
                            self.bad_ids.insert((doc, ptr.clone()), why);
                        }
                        #[cfg(not(feature = "python-re"))]
                        let _ = why;
                        (base.clone(), false)
                    }
                };
                if crawled {
                    resource = Some(self.add_resource(&uri, (doc, ptr.clone())));
                }
                base = uri;
                #[cfg(feature = "python-re")]
                if is_root {
                    // `resolver_with_root` resolves against the root's id as it is written, while
                    // the registry's crawl joins that id with itself (`a/b` → `a/a/b`) and files
                    // the subschemas' ids under the result.
                    let again = self.join(&base, id).unwrap_or_else(|_| base.clone());
                    if again != base {
                        self.add_resource(&again, (doc, ptr.clone()));
                        self.eval_base.push(Some(std::mem::replace(&mut base, again)));
                        root_moved = true;
                    }
                }
            }
            Some(id) if !ignore_id => {
                let uri = resolve(&base, id);
                let uri = split_fragment(&uri).0.to_string();
                if crawled {
                    resource = Some(self.add_resource(&uri, (doc, ptr.clone())));
                }
                base = uri;
            }
            _ => {}
        }
        if is_root {
            // The URI a document was registered under names it too, whatever its $id says.
            let r = match resource {
                Some(r) => r,
                None => self.add_resource(&base, (doc, ptr.clone())),
            };
            self.by_uri.insert_new(retrieval.to_string(), r);
            resource = Some(r);
        }
        let resource_root = resource.is_some();
        let resource = resource.or_else(|| self.by_uri.get(&base).copied()).unwrap_or(0);
        if draft.is(Draft::Draft2019) && resource_root && obj.get("$recursiveAnchor") == Some(&Value::Bool(true)) {
            self.resources[resource].dynamic_anchors.push((RECURSIVE.into(), (doc, ptr.clone())));
        }
        if (draft == Draft::Draft2020 || draft.is(Draft::Draft2019)) && crawled {
            if let Some(a) = obj.get("$anchor").and_then(Value::as_str) {
                self.anchors.insert(format!("{base}#{a}"), (doc, ptr.clone()));
            }
        }
        if draft == Draft::Draft2020 && crawled {
            if let Some(a) = obj.get("$dynamicAnchor").and_then(Value::as_str) {
                self.anchors.insert(format!("{base}#{a}"), (doc, ptr.clone()));
                // (A relative root id's anchors are filed under the id joined with itself, where
                // `registry.anchor(root id, name)` does not find them.)
                #[cfg(feature = "python-re")]
                let resource = match root_moved {
                    true => self.by_uri.get(&base).copied().unwrap_or(resource),
                    false => resource,
                };
                self.resources[resource].dynamic_anchors.push((a.to_string(), (doc, ptr.clone())));
            }
        }
        #[cfg(feature = "python-re")]
        let eval = self.eval_base.last().cloned().flatten().unwrap_or_else(|| base.clone());
        #[cfg(not(feature = "python-re"))]
        let eval = base.clone();
        self.info.insert((doc, ptr.clone()), Info { base: eval, draft, resource, validation: true });
        #[cfg(feature = "python-re")]
        let deps_first_obj = obj.get("dependencies").and_then(Value::as_object).and_then(|m| m.values().next());
        for (suffix, sub) in subschemas(obj, draft) {
            #[cfg(feature = "python-re")]
            let off = python && !crawls(draft, &suffix, matches!(deps_first_obj, Some(Value::Object(_))));
            #[cfg(feature = "python-re")]
            if off {
                self.uncrawled += 1;
            }
            #[cfg(feature = "python-re")]
            {
                self.skip_id = python && matches!(suffix.as_str(), "/not" | "/if" | "/contains");
            }
            let scanned = self.scan(doc, format!("{ptr}{suffix}"), sub, base.clone(), draft, false);
            #[cfg(feature = "python-re")]
            if off {
                self.uncrawled -= 1;
            }
            scanned?;
        }
        #[cfg(feature = "python-re")]
        if moved {
            self.eval_base.pop();
        }
        #[cfg(feature = "python-re")]
        if root_moved {
            self.eval_base.pop();
        }
        Ok(())
    }

    /// `reference` joined to `base` as the mode reads URIs: Python's `urljoin` (with the id's
    /// trailing `#`s dropped as `referencing` does) in the Airflow modes, where DEFAULT_BASE
    /// stands for the empty base of a root without an id; RFC 3986 otherwise.
    fn join(&self, base: &str, reference: &str) -> Result<String, String> {
        #[cfg(feature = "python-re")]
        if self.formats.python() {
            let b = if base == DEFAULT_BASE { "" } else { base };
            return match super::pyurl::urljoin(b, reference.trim_end_matches('#')) {
                Ok(u) if u.is_empty() => Ok(DEFAULT_BASE.into()),
                Ok(u) => Ok(u),
                Err(why) => Err(format!("\"{reference}\": Python's urljoin refuses it ({why})")),
            };
        }
        Ok(resolve(base, reference))
    }

    /// Where the schema gives one URI (or anchor) to several subschemas, a lookup finds the one
    /// `referencing`'s crawl files last, not the first the scan met. The root keeps its own id:
    /// a lookup of the root's URI finds it before any crawl.
    #[cfg(feature = "python-re")]
    fn file_as_crawled(&mut self, registry: &super::pycrawl::Registry) {
        let mut last: VecMap<String, (String, usize)> = VecMap::new();
        for (uri, ptr, draft) in &registry.resources {
            self.crawled_drafts.insert(ptr.clone(), *draft);
            let n = last.get(uri).map_or(0, |e| e.1);
            last.insert(uri.clone(), (ptr.clone(), n + 1));
        }
        let root_key = if self.root_uri == DEFAULT_BASE { "" } else { self.root_uri.as_str() };
        self.crawled_root = last.get(root_key).map(|e| e.0.clone()).filter(|p| !p.is_empty());
        for (uri, (ptr, n)) in last.iter() {
            let Some(&r) = self.by_uri.get(uri).filter(|_| *n > 1 && *uri != self.root_uri) else { continue };
            if self.resources[r].loc.0 == 0 && !self.resources[r].loc.1.is_empty() {
                self.resources[r].loc = (0, ptr.clone());
                let winner = (0, ptr.clone());
                self.resources[r].dynamic_anchors.retain(|(name, loc)| name != RECURSIVE || *loc == winner);
            }
        }
        // Python looks every anchor up in the crawled registry (the first has none): the crawl's
        // anchors are the ones there are, read by `referencing`'s specifications (a nested
        // `$schema` `validator_for` does not know may still name one), the last filed winning.
        let mut crawled: VecMap<String, (String, bool)> = VecMap::new();
        for (uri, name, ptr, dynamic) in &registry.anchors {
            let key = format!("{}#{name}", if uri.is_empty() { DEFAULT_BASE } else { uri });
            crawled.insert(key, (ptr.clone(), *dynamic));
        }
        let stale: Vec<String> = self
            .anchors
            .iter()
            .filter(|(k, l)| l.0 == 0 && !crawled.contains_key(k.as_str()))
            .map(|(k, _)| k.clone())
            .collect();
        for key in stale {
            self.anchors.insert(key, (0, "/\u{0}".into()));
        }
        for r in &mut self.resources {
            r.dynamic_anchors.retain(|(name, loc)| name == RECURSIVE || loc.0 != 0);
        }
        // (`$recursiveRef` looks URIs up and reads `$recursiveAnchor` in what it finds: a root
        // the crawl registers again, under its relative id joined with itself, has it there too.)
        for r in 0..self.resources.len() {
            let loc = self.resources[r].loc.clone();
            let recursive = self.info.get(&loc).is_some_and(|i| i.draft.is(Draft::Draft2019))
                && self.value_at(&loc).and_then(|v| v.get("$recursiveAnchor")) == Some(&Value::Bool(true));
            if recursive && !self.resources[r].dynamic_anchors.iter().any(|(n, _)| n == RECURSIVE) {
                self.resources[r].dynamic_anchors.push((RECURSIVE.into(), loc));
            }
        }
        for (key, (ptr, dynamic)) in crawled.iter() {
            self.anchors.insert(key.clone(), (0, ptr.clone()));
            let (uri, name) = key.rsplit_once('#').unwrap_or((key, ""));
            if let Some(&r) = self.by_uri.get(uri).filter(|_| *dynamic) {
                self.resources[r].dynamic_anchors.push((name.to_owned(), (0, ptr.clone())));
            }
        }
    }

    fn add_resource(&mut self, uri: &str, loc: Loc) -> usize {
        if let Some(&i) = self.by_uri.get(uri) {
            return i;
        }
        self.resources.push(ResourceEntry { uri: uri.to_string(), loc, dynamic_anchors: Vec::new() });
        self.by_uri.insert(uri.to_string(), self.resources.len() - 1);
        self.resources.len() - 1
    }

    /// The node for the subschema at `loc`, reached from a schema read as `from` (`None`: as
    /// the scan read it), by python-jsonschema's `descend` (a `$ref` there hides its siblings
    /// if it does in the draft that reached it) or by `evolve(...).is_valid` (if it does in its
    /// own draft).
    fn node_for(&mut self, loc: Loc, from: Option<Draft>, descend: bool) -> Result<NodeId, String> {
        if !self.info.contains_key(&loc) {
            // A location the scan did not reach (e.g. inside an unknown keyword): scan it now,
            // with the base URI of the nearest scanned ancestor.
            let parent = self.nearest_info(&loc);
            let value = self.value_at(&loc).ok_or_else(|| format!("nothing at {}", self.describe(&loc)))?;
            // Python's pointer walk moves no base URI there, nor does its registry look there.
            #[cfg(feature = "python-re")]
            let python = self.formats.python();
            #[cfg(feature = "python-re")]
            if python {
                self.skip_id = true;
                self.uncrawled += 1;
            }
            let scanned = self.scan(loc.0, loc.1.clone(), value, parent.base, parent.draft, false);
            #[cfg(feature = "python-re")]
            if python {
                self.uncrawled -= 1;
            }
            scanned?;
        }
        let info = self.info.get(&loc).ok_or_else(|| format!("nothing at {}", self.describe(&loc)))?;
        let (draft, ref_only) = match from {
            Some(from) if cfg!(feature = "python-re") && self.formats.python() => {
                let draft = python_draft(self.value_at(&loc).unwrap_or(&Value::Null), from)?;
                (draft, if descend { from.ref_only() } else { draft.ref_only() })
            }
            _ => (info.draft, info.draft.ref_only()),
        };
        let resource = info.resource;
        let key = tagged(loc, draft, ref_only);
        if let Some(&id) = self.memo.get(&key) {
            return Ok(id);
        }
        let location = if key.0 & DOC_MASK == 0 && self.resources[resource].uri == DEFAULT_BASE {
            format!("#{}", key.1)
        } else {
            self.describe(&key)
        };
        #[cfg(feature = "python-re")]
        let scope = self.scope_of(&info.base.clone());
        let id = self.nodes.len();
        self.nodes.push(Node {
            kind: NodeKind::Bool(true),
            location,
            resource,
            #[cfg(feature = "python-re")]
            scope,
            #[cfg(feature = "python-re")]
            same_base: 0,
            #[cfg(feature = "python-re")]
            evolve: UNREGISTERED,
            #[cfg(feature = "python-re")]
            crawled_ref: UNREGISTERED,
            default: None,
        });
        self.memo.insert(key.clone(), id);
        #[cfg(feature = "python-re")]
        self.node_locs.push(key.clone());
        self.queue.push((id, key));
        Ok(id)
    }

    /// The resource whose URI is `base` ([`Node::scope`]): a registered one, or a phantom.
    #[cfg(feature = "python-re")]
    fn scope_of(&mut self, base: &str) -> usize {
        match self.by_uri.get(base) {
            Some(&r) => r,
            None => match self.phantom_index.get(base) {
                Some(&i) => PHANTOM + i,
                None => {
                    self.phantom_index.insert(base.to_owned(), self.phantoms.len());
                    self.phantoms.push(base.to_owned());
                    PHANTOM + self.phantoms.len() - 1
                }
            },
        }
    }

    fn nearest_info(&self, loc: &Loc) -> Info {
        let mut ptr = loc.1.clone();
        while let Some(i) = ptr.rfind('/') {
            ptr.truncate(i);
            if let Some(info) = self.info.get(&(loc.0, ptr.clone())) {
                return info.clone();
            }
        }
        self.info.get(&(loc.0, String::new())).cloned().unwrap_or(Info {
            base: DEFAULT_BASE.into(),
            draft: Draft::Draft2020,
            resource: 0,
            validation: true,
        })
    }

    fn describe(&self, loc: &Loc) -> String {
        // (A subschema compiled again for another base URI is where its original is.)
        #[cfg(feature = "python-re")]
        if let Ok(i) = self.rebased_docs.binary_search_by_key(&(loc.0 & DOC_MASK), |d| d.0) {
            let (doc, ptr) = &self.rebased_docs[i].1;
            return self.describe(&(*doc, format!("{ptr}{}", loc.1)));
        }
        let uri =
            self.resources.iter().find(|r| r.loc == (loc.0 & DOC_MASK, String::new())).map_or(DEFAULT_BASE, |r| &r.uri);
        format!("{uri}#{}", loc.1)
    }

    /// Why looking `reference` up raises in the Airflow modes, if it does: where the lookup
    /// misses the registry as python-jsonschema builds it (the root under its id, the
    /// metaschemas; no anchors) `referencing` crawls the schema, and that crawl raises on some.
    fn crawl_raises(&self, base: &str, reference: &str) -> Option<String> {
        #[cfg(feature = "python-re")]
        if let Some(why) = &self.crawl_raises {
            return self
                .crawls(base, reference)
                .then(|| format!("$ref \"{reference}\": referencing's registry crawl raises {why}"));
        }
        let _ = (base, reference);
        None
    }

    /// Whether looking `reference` up from `base` misses the registry as python-jsonschema
    /// builds it (the root under its id, the metaschemas; no anchors), so that `referencing`
    /// crawls the schema first and the resolver carries the crawled registry from there on.
    #[cfg(feature = "python-re")]
    fn crawls(&self, base: &str, reference: &str) -> bool {
        let Ok(Some((uri, fragment))) = self.python_parts(base, reference) else { return false };
        (!fragment.is_empty() && !fragment.starts_with('/'))
            || (uri != self.root_uri && super::meta::builtin(&uri, true).is_none())
    }

    /// Where a subschema repeats the root's own id: a lookup of the root's URI (plain or with a
    /// pointer) from a resolver that carries the crawled registry finds that subschema instead.
    #[cfg(feature = "python-re")]
    fn crawled_root_ref(&mut self, base: &str, reference: &str, from: Draft) -> Option<NodeId> {
        let dup = self.crawled_root.clone()?;
        let (uri, fragment) = self.python_parts(base, reference).ok().flatten()?;
        if uri != self.root_uri || !(fragment.is_empty() || fragment.starts_with('/')) {
            return None;
        }
        let loc = (0, format!("{dup}{}", percent_decode(&fragment)));
        if self.value_at(&loc).is_none() {
            let why = format!("$ref \"{reference}\": nothing at #{fragment} in the subschema the crawled registry files under \"{uri}\" (python-jsonschema raises PointerToNowhere)");
            return Some(self.raise_node(why));
        }
        let expected = Some(self.pointer_lookup_base(&(0, dup), &uri, &fragment)?);
        self.looked_up(loc, expected, from).ok()
    }

    /// In the Airflow modes, the truth value Python reads from a value that is no schema (an
    /// `additionalProperties: 5`); None for a schema, or in the other modes.
    fn py_truth(&self, v: &Value) -> Option<bool> {
        #[cfg(feature = "python-re")]
        if self.formats.python() && !matches!(v, Value::Object(_) | Value::Bool(_)) {
            return Some(super::pymalformed::truthy(v));
        }
        let _ = v;
        None
    }

    /// A node where python-jsonschema raises `why` (a lookup that fails in one registry only).
    #[cfg(feature = "python-re")]
    fn raise_node(&mut self, why: String) -> NodeId {
        self.nodes.push(Node {
            kind: NodeKind::Keywords(vec![Kw::Raise(u8::MAX, why)]),
            location: self.nodes.first().map_or_else(String::new, |n| n.location.clone()),
            resource: 0,
            scope: 0,
            same_base: 0,
            evolve: UNREGISTERED,
            crawled_ref: UNREGISTERED,
            default: None,
        });
        self.node_locs.push((0, "/\u{0}".into()));
        self.nodes.len() - 1
    }

    /// The location (tagged) a node was compiled from.
    #[cfg(feature = "python-re")]
    fn loc_of(&self, node: NodeId) -> Option<Loc> {
        self.node_locs.get(node).cloned()
    }

    /// A node for the schema `false`.
    #[cfg(feature = "python-re")]
    fn false_node(&mut self) -> Result<NodeId, String> {
        static FALSE: Value = Value::Bool(false);
        let doc = self.docs.len();
        self.docs.push(&FALSE);
        self.node_for((doc, String::new()), None, false)
    }
    #[cfg(not(feature = "python-re"))]
    fn false_node(&mut self) -> Result<NodeId, String> {
        Err(String::new())
    }

    /// Whether Python's lookup of `reference` from `base` asks for the URI `base` is.
    #[cfg(feature = "python-re")]
    fn looks_up_base(&self, base: &str, reference: &str) -> bool {
        let base = if base == DEFAULT_BASE { "" } else { base };
        matches!(self.python_parts(base, reference), Ok(Some((uri, _))) if uri == base || (uri == DEFAULT_BASE && base.is_empty()))
    }

    /// The `$dynamicAnchor` a `$ref` names, if its target (2020-12) holds it.
    #[cfg(feature = "python-re")]
    fn dynamic_anchor_of(&self, target: NodeId, reference: &str) -> Option<String> {
        let fragment = split_fragment(reference).1;
        if fragment.is_empty() || fragment.starts_with('/') {
            return None;
        }
        let loc = self.loc_of(target)?;
        let draft = DRAFTS.get(loc.0 >> DOC_BITS >> 1).copied()?;
        let v = self.value_at(&loc)?;
        (draft == Draft::Draft2020 && v.get("$dynamicAnchor").and_then(Value::as_str) == Some(fragment))
            .then(|| fragment.to_string())
    }

    /// Python's resolver in the Airflow modes: a `#…` reference keeps the base as it is; any
    /// other is joined and then split by `urldefrag`. None in the other modes.
    fn python_parts(&self, base: &str, reference: &str) -> Result<Option<(String, String)>, String> {
        #[cfg(feature = "python-re")]
        if self.formats.python() {
            return Ok(Some(match reference.strip_prefix('#') {
                Some(f) => (base.to_owned(), f.to_owned()),
                None => {
                    let joined = self.join(base, reference)?;
                    let (u, f) = super::pyurl::urldefrag(&joined).map_err(|why| format!("\"{reference}\": {why}"))?;
                    (if u.is_empty() { DEFAULT_BASE.into() } else { u }, f)
                }
            }));
        }
        let _ = (base, reference);
        Ok(None)
    }

    /// The node a reference points to, resolved against `base`.
    fn reference(&mut self, base: &str, reference: &str, from: Draft) -> Result<NodeId, String> {
        let target = self.reference_loc(base, reference)?;
        // Python's lookup sets the base URI itself (the looked-up URI, moved by the ids its
        // pointer walk passes): where the scan reached the target with another (under `not`,
        // `if`, `contains`, or a nested `$schema` reading ids otherwise), it is compiled again.
        #[cfg(feature = "python-re")]
        if self.formats.python() {
            let expected = self.lookup_base(base, reference, &target);
            return self.looked_up(target, expected, from);
        }
        self.node_for(target, Some(from), true)
    }

    /// The node for a lookup's target, compiled again where the scan reached it with another
    /// base URI than the lookup's (`expected`; None: not known, the scan's).
    #[cfg(feature = "python-re")]
    fn looked_up(&mut self, target: Loc, expected: Option<String>, from: Draft) -> Result<NodeId, String> {
        let node = self.node_for(target.clone(), Some(from), true)?;
        match expected {
            Some(expected) if self.info.get(&target).is_some_and(|i| i.base != expected) => {
                self.rebased(&target, expected, from, true, false)
            }
            _ => Ok(node),
        }
    }

    /// The base URI after a lookup of `uri#fragment` (a JSON Pointer, or none) into the resource
    /// at `resource`: the URI, moved by the ids the pointer walk passes.
    #[cfg(feature = "python-re")]
    fn pointer_lookup_base(&self, resource: &Loc, uri: &str, fragment: &str) -> Option<String> {
        if fragment.is_empty() {
            return Some(uri.to_owned());
        }
        let crawled = (resource.0 == 0).then(|| self.crawled_drafts.get(&resource.1).copied()).flatten();
        let draft = crawled.or_else(|| Some(self.info.get(resource)?.draft))?;
        let py_uri = if uri == DEFAULT_BASE { "" } else { uri };
        let base = super::pycrawl::pointer_base(draft, self.value_at(resource)?, py_uri, fragment)?;
        Some(if base.is_empty() { DEFAULT_BASE.to_owned() } else { base })
    }

    /// The base URI Python's resolver has after looking `reference` up from `base`.
    #[cfg(feature = "python-re")]
    fn lookup_base(&self, base: &str, reference: &str, target: &Loc) -> Option<String> {
        let (uri, fragment) = self.python_parts(base, reference).ok().flatten()?;
        let py = |u: &str| if u == DEFAULT_BASE { String::new() } else { u.to_owned() };
        let back = |u: String| if u.is_empty() { DEFAULT_BASE.to_owned() } else { u };
        if fragment.is_empty() || fragment.starts_with('/') {
            let &ri = self.by_uri.get(&uri)?;
            return self.pointer_lookup_base(&self.resources[ri].loc, &uri, &fragment);
        }
        // (A plain anchor leaves the base as the lookup set it (`Anchor.resolve`); a dynamic
        // one moves it by its subschema's id (`DynamicAnchor.resolve`, when nothing in the
        // dynamic scope wins).)
        let draft = self.info.get(target)?.draft;
        let value = self.value_at(target)?;
        if !(draft == Draft::Draft2020 && value.get("$dynamicAnchor").and_then(Value::as_str) == Some(&fragment)) {
            return Some(uri);
        }
        match super::pycrawl::id_of(draft, value).ok()? {
            Some(id) => super::pyurl::urljoin(&py(&uri), &id).ok().map(back),
            None => Some(uri),
        }
    }

    /// The node for a subschema reached with the base URI `base`, which its own id moves only
    /// with `own_id` (a `$ref` target: no; reached by `descend` in the walk: yes), read by
    /// `descend` or (false) by `evolve(...).is_valid`: scanned again as a document of its own
    /// (registering nothing: the registry is the original's).
    #[cfg(feature = "python-re")]
    fn rebased(&mut self, loc: &Loc, base: String, from: Draft, descend: bool, own_id: bool) -> Result<NodeId, String> {
        let key = format!("{}\u{0}{}\u{0}{base}\u{0}{from:?}{descend}{own_id}", loc.0, loc.1);
        if let Some(&n) = self.rebased.get(&key) {
            return Ok(n);
        }
        let value = self.value_at(loc).ok_or_else(|| format!("nothing at {}", self.describe(loc)))?;
        let doc = self.docs.len();
        self.docs.push(value);
        self.rebased_docs.push((doc, (loc.0 & DOC_MASK, loc.1.clone())));
        self.uncrawled += 1;
        self.skip_id = !own_id;
        let before = self.info.len();
        let scanned = self.scan(doc, String::new(), value, base, from, false);
        self.uncrawled -= 1;
        scanned?;
        self.rebased_size += self.info.len() - before;
        if self.rebased_size > MAX_REBASED {
            return Err(format!(
                "the schema's ids and dynamic references need more than {MAX_REBASED} subschemas compiled again for other base URIs (python-jsonschema resolves them lazily; this crate compiles them ahead): too costly to compile"
            ));
        }
        let n = self.node_for((doc, String::new()), Some(from), descend)?;
        self.rebased.insert(key, n);
        Ok(n)
    }

    /// Each dynamic lookup's possible winners (every dynamic anchor of its name) compiled with
    /// the base URI `DynamicAnchor.resolve` gives them, where that is not their own: the
    /// looked-up URI, moved by the winner's id. Whether that compiled anything new.
    #[cfg(feature = "python-re")]
    fn rebase_winners(
        &mut self,
        winners: &mut Vec<((NodeId, NodeId, NodeId), NodeId)>,
        done: &mut usize,
    ) -> Result<bool, String> {
        let before = self.nodes.len();
        if !std::mem::replace(&mut self.recursive_done, true) {
            for r in 0..self.resources.len() {
                let uri = self.resources[r].uri.clone();
                let found =
                    self.resources[r].dynamic_anchors.iter().find(|(n, _)| n == RECURSIVE).map(|(_, l)| l.clone());
                let Some(info) = found.as_ref().and_then(|l| self.info.get(l)).cloned() else { continue };
                if info.base != uri {
                    let n = self.rebased(&found.unwrap_or_default(), uri, info.draft, true, false)?;
                    self.recursive_here.push((r, n));
                }
            }
        }
        // (The winners a lookup of one URI can have are the same for every lookup of it.)
        while let Some((from, target, uri, name)) = self.dynamic_lookups.get(*done).cloned() {
            *done += 1;
            let key = format!("{uri}#{name}");
            if let Some(found) = self.winners_of.get(&key) {
                winners.extend(found.iter().map(|&(node, n)| ((from, target, node), n)));
                continue;
            }
            let cands = self.dynamic_anchor_locs(&name);
            let mut found = Vec::new();
            for loc in cands {
                let Some(info) = self.info.get(&loc).cloned() else { continue };
                let Some(&node) = self.memo.get(&tagged(loc.clone(), info.draft, info.draft.ref_only())) else {
                    continue;
                };
                let Some(value) = self.value_at(&loc) else { continue };
                let Some(expected) = winner_base(&uri, info.draft, value) else { continue };
                if expected != info.base {
                    found.push((node, self.rebased(&loc, expected, info.draft, false, false)?));
                }
            }
            winners.extend(found.iter().map(|&(node, n)| ((from, target, node), n)));
            self.winners_of.insert(key, found);
        }
        Ok(self.nodes.len() > before)
    }

    /// Every dynamic anchor named `name`, in every resource (a dynamic lookup's possible winners).
    #[cfg(feature = "python-re")]
    fn dynamic_anchor_locs(&self, name: &str) -> Vec<Loc> {
        let anchors = self.resources.iter().flat_map(|r| &r.dynamic_anchors);
        anchors.filter(|(n, _)| n == name).map(|(_, l)| l.clone()).collect()
    }

    /// The location a reference points to, resolved against `base`.
    #[inline]
    fn reference_loc(&mut self, base: &str, reference: &str) -> Result<Loc, String> {
        let python_parts = self.python_parts(base, reference)?;
        let abs = match &python_parts {
            Some((u, f)) => format!("{u}#{f}"),
            None => resolve(base, reference),
        };
        let (uri, fragment) = match &python_parts {
            Some((u, f)) => (u.as_str(), f.as_str()),
            None => split_fragment(&abs),
        };
        // Python's resolver percent-decodes a JSON Pointer, not an anchor's name.
        let fragment = match self.formats.python() && !fragment.starts_with('/') {
            true => fragment.to_owned(),
            false => percent_decode(fragment),
        };
        let unresolvable = || {
            format!("$ref \"{reference}\" (resolved to \"{abs}\") cannot be resolved: register that document in the `resources` option")
        };
        if !self.by_uri.contains_key(uri) && !self.anchors.contains_key(&format!("{uri}#{fragment}")) {
            if let Some(meta) = super::meta::builtin(uri, self.formats.python()) {
                let doc = self.docs.len();
                self.docs.push(meta);
                let draft = match cfg!(feature = "python-re") && self.formats.python() {
                    true => python_draft(meta, Draft::Draft2020)?,
                    false => draft_of(meta, Draft::Draft2020),
                };
                self.scan(doc, String::new(), meta, uri.to_string(), draft, true)?;
            }
        }
        let target = if fragment.is_empty() || fragment.starts_with('/') {
            let &ri = self.by_uri.get(uri).ok_or_else(unresolvable)?;
            let (doc, ptr) = self.resources[ri].loc.clone();
            (doc, format!("{ptr}{fragment}"))
        } else {
            self.anchors.get(&format!("{uri}#{fragment}")).cloned().ok_or_else(unresolvable)?
        };
        if self.value_at(&target).is_none() {
            return Err(unresolvable());
        }
        Ok(target)
    }

    /// Draft 3's `type` or `disallow`: names ("any" for all) and schemas, in order.
    #[cfg(feature = "python-re")]
    fn types3(&mut self, doc: usize, ptr: &str, key: &str, t: &Value) -> Result<Vec<Type3>, String> {
        let list: Vec<(String, &Value)> = match t {
            Value::Array(a) => a.iter().enumerate().map(|(i, v)| (format!("{ptr}/{key}/{i}"), v)).collect(),
            // (`ensure_list` leaves an object as it is, and Python iterates its keys: names.)
            Value::Object(m) => {
                return Ok(m
                    .keys()
                    .map(|name| match name.as_str() {
                        "any" => Type3::Bits(u8::MAX),
                        n => match type_bit(n) {
                            Some(INTEGER) => Type3::Bits(super::json::STRICT_INTEGER),
                            Some(bit) => Type3::Bits(bit),
                            None => Type3::Unknown(name.clone()),
                        },
                    })
                    .collect())
            }
            one => vec![(format!("{ptr}/{key}"), one)],
        };
        let mut out = Vec::new();
        for (path, v) in list {
            out.push(match v {
                Value::Object(_) => Type3::Schema(self.node_for((doc, path), Some(Draft::Draft3), true)?),
                Value::String(name) if name == "any" => Type3::Bits(u8::MAX),
                Value::String(name) => match type_bit(name) {
                    Some(INTEGER) => Type3::Bits(super::json::STRICT_INTEGER),
                    Some(bit) => Type3::Bits(bit),
                    None => Type3::Unknown(name.clone()),
                },
                other => Type3::Unknown(other.to_json_string()),
            });
        }
        Ok(out)
    }

    /// Draft 2019-09's `$recursiveRef` is dynamic when its target has `$recursiveAnchor: true`.
    fn recursive_anchor(&self, target: NodeId) -> Option<String> {
        #[cfg(feature = "python-re")]
        let loc = &self.loc_of(target)?;
        #[cfg(not(feature = "python-re"))]
        let (loc, _) = self.memo.iter().find(|(_, &id)| id == target)?;
        (self.value_at(loc)?.get("$recursiveAnchor") == Some(&Value::Bool(true))).then(|| RECURSIVE.into())
    }

    fn compile_node(&mut self, loc: &Loc) -> Result<NodeKind, String> {
        let value = self.value_at(loc).ok_or_else(|| format!("nothing at {}", self.describe(loc)))?;
        #[cfg(feature = "python-re")]
        if let Some(why) = self.bad_ids.get(&(loc.0 & DOC_MASK, loc.1.clone())) {
            return Ok(NodeKind::Keywords(vec![Kw::Raise(u8::MAX, format!("$id {why}"))]));
        }
        let obj = match value {
            Value::Bool(b) => return Ok(NodeKind::Bool(*b)),
            Value::Object(obj) => obj,
            other => {
                let e = format!(
                    "the schema at {} must be an object or a boolean, not {}",
                    self.describe(loc),
                    super::super::request::json_kind(other)
                );
                #[cfg(feature = "python-re")]
                if self.formats.python() {
                    return Ok(NodeKind::Keywords(vec![Kw::Raise(u8::MAX, e)]));
                }
                return Err(e);
            }
        };
        let (doc, ptr) = (loc.0 & DOC_MASK, &loc.1);
        let untagged;
        let at = match cfg!(feature = "python-re") {
            true => {
                untagged = (doc, ptr.clone());
                &untagged
            }
            false => loc,
        };
        let info = self.info.get(at).cloned().ok_or_else(|| format!("nothing at {}", self.describe(loc)))?;
        let tag = loc.0 >> DOC_BITS;
        let draft = match cfg!(feature = "python-re") {
            true => DRAFTS.get(tag >> 1).copied().unwrap_or(info.draft),
            false => info.draft,
        };
        // Drafts 3, 4 and 6 see only their own keywords.
        let raw = obj;
        let filtered: Map;
        let obj = match draft {
            Draft::Draft3 | Draft::Draft4 | Draft::Draft6 if cfg!(feature = "python-re") => {
                let mut m = Map::new();
                for (k, v) in raw.iter().filter(|(k, _)| draft.knows(k)) {
                    m.insert(k.clone(), v.clone());
                }
                filtered = m;
                &filtered
            }
            _ => raw,
        };
        let mut kws = Vec::new();
        let sub = |c: &mut Compiler<'a>, path: &str| c.node_for((doc, format!("{ptr}{path}")), Some(draft), true);
        // (`not`, `if` and `contains` evaluate with `evolve(...).is_valid`, not `descend`.)
        let sub_eval = |c: &mut Compiler<'a>, path: &str| {
            c.node_for((doc, format!("{ptr}{path}")), Some(draft), !cfg!(feature = "python-re"))
        };
        let err = |key: &str, what: &str| format!("{key} at {}#{ptr}: {what}", info.base);
        if self.strict {
            self.strict_check(obj, draft).map_err(|(key, what)| err(&key, &what))?;
        }

        if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
            match self.crawl_raises(&info.base, r).map_or_else(|| self.reference(&info.base, r, draft), Err) {
                #[cfg(feature = "python-re")]
                Ok(target) if self.formats.python() => {
                    // (A `$ref` to a name a `$dynamicAnchor` holds is resolved in the dynamic
                    // scope by `referencing`, as a `$dynamicRef` is.)
                    let dynamic = self.dynamic_anchor_of(target, r);
                    self.uses_dynamic |= dynamic.is_some();
                    self.same_base |= if dynamic.is_some() { 2 } else { 1 } * self.looks_up_base(&info.base, r) as u8;
                    self.same_base |= if dynamic.is_some() { 8 } else { 4 } * self.crawls(&info.base, r) as u8;
                    if dynamic.is_none() {
                        self.crawled_ref = self.crawled_root_ref(&info.base, r, draft).unwrap_or(UNREGISTERED);
                    }
                    if let (Some(anchor), Ok(Some((uri, _)))) = (&dynamic, self.python_parts(&info.base, r)) {
                        self.dynamic_lookups.push((UNREGISTERED, target, uri, anchor.clone()));
                    }
                    kws.push(match dynamic {
                        Some(anchor) => Kw::DynamicRef(target, Some(anchor)),
                        None => Kw::Ref(target),
                    })
                }
                Ok(target) => kws.push(Kw::Ref(target)),
                // (Where the root's id is repeated, the crawled registry may find what the
                // first one does not.)
                #[cfg(feature = "python-re")]
                Err(e) if self.formats.python() => match self.crawled_root_ref(&info.base, r, draft) {
                    Some(crawled) if self.crawl_raises.is_none() => {
                        self.same_base |=
                            self.looks_up_base(&info.base, r) as u8 | (4 * self.crawls(&info.base, r) as u8);
                        self.crawled_ref = crawled;
                        kws.push(Kw::Ref(self.raise_node(e)));
                    }
                    _ => kws.push(Kw::Raise(u8::MAX, e)),
                },
                Err(e) => return Err(e),
            }
            if (cfg!(feature = "python-re") && tag & 1 == 1) || (!cfg!(feature = "python-re") && draft.ref_only()) {
                return Ok(NodeKind::Keywords(kws));
            }
        }
        if draft.is(Draft::Draft2019) && obj.contains_key("$recursiveRef") {
            // python-jsonschema resolves `#` whatever the value, then walks the dynamic scope.
            self.uses_dynamic = true;
            match self.crawl_raises(&info.base, "#") {
                #[cfg(feature = "python-re")]
                Some(why) => kws.push(Kw::Raise(u8::MAX, format!("$recursiveRef: {why}"))),
                _ => {
                    let target = match self.reference(&info.base, "#", draft) {
                        Ok(target) => target,
                        // (Raised when it is reached, as any lookup.)
                        #[cfg(feature = "python-re")]
                        Err(e) if self.formats.python() => self.raise_node(format!("$recursiveRef: {e}")),
                        Err(e) => return Err(e),
                    };
                    #[cfg(feature = "python-re")]
                    if let Some(crawled) = self.crawled_root_ref(&info.base, "#", draft) {
                        let anchor = self.recursive_anchor(crawled);
                        self.crawled_recursive.push((UNREGISTERED, crawled, anchor));
                    }
                    kws.push(Kw::DynamicRef(target, self.recursive_anchor(target)));
                }
            }
        }
        let d2020 = draft == Draft::Draft2020;
        // What 2019-09 shares with 2020-12 (python-jsonschema's names and `$ref` siblings).
        let modern = d2020 || draft.is(Draft::Draft2019);
        if d2020 {
            if let Some(r) = obj.get("$dynamicRef").and_then(Value::as_str) {
                self.uses_dynamic = true;
                // (python-jsonschema looks it up only when it gets there: lazily.)
                match self.crawl_raises(&info.base, r).map_or_else(|| self.reference(&info.base, r, draft), Err) {
                    Ok(target) => {
                        let (_, fragment) = split_fragment(r);
                        // Dynamic only when the static target has a matching $dynamicAnchor.
                        #[cfg(feature = "python-re")]
                        let target_loc = self.loc_of(target);
                        #[cfg(not(feature = "python-re"))]
                        let target_loc = self.memo.iter().find(|(_, &id)| id == target).map(|(l, _)| l.clone());
                        let anchor = target_loc
                            .and_then(|l| self.value_at(&l))
                            .and_then(|v| v.get("$dynamicAnchor"))
                            .and_then(Value::as_str)
                            .filter(|a| *a == fragment)
                            .map(String::from);
                        #[cfg(feature = "python-re")]
                        if self.formats.python() {
                            self.same_base |= 2 * self.looks_up_base(&info.base, r) as u8;
                            self.same_base |= 8 * self.crawls(&info.base, r) as u8;
                            if let (Some(anchor), Ok(Some((uri, _)))) = (&anchor, self.python_parts(&info.base, r)) {
                                self.dynamic_lookups.push((UNREGISTERED, target, uri, anchor.clone()));
                            }
                        }
                        kws.push(Kw::DynamicRef(target, anchor));
                    }
                    #[cfg(feature = "python-re")]
                    Err(e) if self.formats.python() => kws.push(Kw::Raise(u8::MAX, format!("$dynamicRef: {e}"))),
                    Err(e) => return Err(e),
                }
            }
        }
        // (A malformed value python-jsonschema runs as it is, in the Airflow modes.)
        #[cfg(feature = "python-re")]
        let (fixed_keys, mut py_kws): (Vec<&str>, Vec<Kw>) = match self.formats.python() && info.validation {
            true => obj
                .iter()
                .filter_map(|(k, v)| super::pymalformed::python_malformed(k, v, draft).map(|kw| (k.as_str(), kw)))
                .unzip(),
            false => (Vec::new(), Vec::new()),
        };
        #[cfg(feature = "python-re")]
        let obj_get = |key: &str| obj.get(key).filter(|_| !fixed_keys.contains(&key));
        #[cfg(not(feature = "python-re"))]
        let obj_get = |key: &str| obj.get(key);
        let number = |key: &str| -> Result<Option<crate::json::Number>, String> {
            match obj_get(key) {
                None => Ok(None),
                Some(Value::Number(n)) => Ok(Some(n.clone())),
                Some(_) => Err(err(key, "must be a number")),
            }
        };
        let count = |key: &str| -> Result<Option<u64>, String> {
            match obj_get(key) {
                None => Ok(None),
                Some(Value::Number(n)) => {
                    match n
                        .as_u64()
                        .or_else(|| Some(n.as_f64()).filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64))
                    {
                        Some(v) => Ok(Some(v)),
                        None => Err(err(key, "must be a non-negative integer")),
                    }
                }
                Some(_) => Err(err(key, "must be a non-negative integer")),
            }
        };
        let list = |key: &str| -> Result<Option<&Vec<Value>>, String> {
            match obj_get(key) {
                None => Ok(None),
                Some(Value::Array(a)) => Ok(Some(a)),
                Some(_) => Err(err(key, "must be an array")),
            }
        };
        let object = |key: &str| -> Result<Option<&Map>, String> {
            match obj_get(key) {
                None => Ok(None),
                Some(Value::Object(m)) => Ok(Some(m)),
                Some(_) => Err(err(key, "must be an object")),
            }
        };

        if info.validation {
            #[cfg(feature = "python-re")]
            if draft == Draft::Draft3 {
                for (key, disallow) in [("type", false), ("disallow", true)] {
                    if let Some(t) = obj.get(key) {
                        kws.push(Kw::Type3(self.types3(doc, ptr, key, t)?, disallow));
                    }
                }
            }
            if let Some(t) = obj_get("type").filter(|_| !draft.is(Draft::Draft3)) {
                let names: Vec<&Value> = match t {
                    Value::Array(a) => a.iter().collect(),
                    one => vec![one],
                };
                let mut bits = 0;
                for n in names {
                    bits |= n.as_str().and_then(type_bit).ok_or_else(|| err("type", "must name JSON types"))?;
                }
                // Drafts 3 and 4: an integer is what Python's json reads as an int (not `1.0`).
                if draft.old() && bits & INTEGER != 0 {
                    bits = bits & !INTEGER | super::json::STRICT_INTEGER;
                }
                kws.push(Kw::Type(bits));
            }
            if let Some(values) = list("enum")? {
                kws.push(Kw::Enum(values.clone()));
            }
            if let Some(v) = obj.get("const") {
                kws.push(Kw::Const(v.clone()));
            }
            let multiple = if draft.is(Draft::Draft3) { "divisibleBy" } else { "multipleOf" };
            if let Some(n) = number(multiple)? {
                if n.as_f64() <= 0.0 || n.as_f64().is_nan() {
                    return Err(err(multiple, "must be greater than 0"));
                }
                kws.push(Kw::MultipleOf(n));
            }
            // Drafts 3 and 4: a boolean `exclusiveMaximum` makes `maximum` exclusive.
            if draft.old() {
                // (Python reads their truth value.)
                #[cfg(feature = "python-re")]
                let exclusive = |key: &str| raw.get(key).is_some_and(super::pymalformed::truthy);
                #[cfg(not(feature = "python-re"))]
                let exclusive = |key: &str| raw.get(key) == Some(&Value::Bool(true));
                if let Some(n) = number("maximum")? {
                    kws.push(if exclusive("exclusiveMaximum") { Kw::ExclusiveMaximum(n) } else { Kw::Maximum(n) });
                }
                if let Some(n) = number("minimum")? {
                    kws.push(if exclusive("exclusiveMinimum") { Kw::ExclusiveMinimum(n) } else { Kw::Minimum(n) });
                }
            }
            for (key, make) in [
                ("maximum", Kw::Maximum as fn(crate::json::Number) -> Kw),
                ("exclusiveMaximum", Kw::ExclusiveMaximum),
                ("minimum", Kw::Minimum),
                ("exclusiveMinimum", Kw::ExclusiveMinimum),
            ] {
                if let Some(n) = number(key)?.filter(|_| !draft.old()) {
                    kws.push(make(n));
                }
            }
            for (key, make) in [
                ("maxLength", Kw::MaxLength as fn(u64) -> Kw),
                ("minLength", Kw::MinLength),
                ("maxItems", Kw::MaxItems),
                ("minItems", Kw::MinItems),
                ("maxProperties", Kw::MaxProperties),
                ("minProperties", Kw::MinProperties),
            ] {
                if let Some(n) = count(key)? {
                    kws.push(make(n));
                }
            }
            if let Some(p) = obj_get("pattern") {
                let p = p.as_str().ok_or_else(|| err("pattern", "must be a string"))?;
                kws.push(Kw::Pattern(
                    (self.regex)(p).map_err(|e| err("pattern", &format!("invalid regular expression: {e}")))?,
                ));
            }
            if obj.get("uniqueItems") == Some(&Value::Bool(true)) {
                kws.push(Kw::UniqueItems);
            }
            if let Some(req) = list("required")? {
                let names = req.iter().map(|v| v.as_str().map(String::from)).collect::<Option<Vec<_>>>();
                kws.push(Kw::Required(names.ok_or_else(|| err("required", "must list strings"))?));
            }
            // Draft 3: `required: true` in a property's own schema.
            if let Some(props) =
                Some(obj).filter(|_| draft.is(Draft::Draft3)).and_then(|o| o.get("properties")?.as_object())
            {
                let names: Vec<String> = props
                    .iter()
                    .filter(|(_, s)| s.get("required") == Some(&Value::Bool(true)))
                    .map(|(k, _)| k.clone())
                    .collect();
                if !names.is_empty() {
                    kws.push(Kw::Required(names));
                }
            }
            let mut dep_required = Vec::new();
            let deps_key = if modern { "dependentRequired" } else { "dependencies" };
            if let Some(deps) = object(deps_key)? {
                for (k, v) in deps {
                    // Draft 3: one property's name alone.
                    if let (Value::String(name), true) = (v, draft.is(Draft::Draft3)) {
                        dep_required.push((k.clone(), vec![name.clone()]));
                    }
                    if let Value::Array(names) = v {
                        let names = names.iter().map(|v| v.as_str().map(String::from)).collect::<Option<Vec<_>>>();
                        dep_required.push((k.clone(), names.ok_or_else(|| err(deps_key, "must list strings"))?));
                    }
                }
            }
            if !dep_required.is_empty() {
                kws.push(Kw::DependentRequired(dep_required, deps_key));
            }
        }
        if let Some(f) = obj.get("format").and_then(Value::as_str) {
            if self.added.contains(&f) {
                kws.push(Kw::Format(f.to_string()));
            } else if self.formats.asserts(f) {
                // Without python-re the Airflow modes' regex hook refuses: so do these formats,
                // which those modes would only approximate.
                if self.formats.python() && matches!(f, "regex" | "idn-hostname") {
                    (self.regex)("").map_err(|e| err("format", &e))?;
                }
                kws.push(Kw::Format(f.to_string()));
            }
        }

        // Applicators.
        if let Some(props) = object("properties")? {
            let mut v = Vec::new();
            for k in props.keys() {
                v.push((k.clone(), sub(self, &format!("/properties/{}", escape_token(k)))?));
            }
            // Sorted for binary search by instance key.
            crate::json::heap_sort(&mut v, |a, b| a.0 < b.0);
            // (python-jsonschema goes through them in the schema's order: where it stops at the
            // first error, which comes first decides whether a raise is reached.)
            #[cfg(feature = "python-re")]
            if self.formats.python() {
                let order = props.keys().filter_map(|k| v.binary_search_by(|(x, _)| x.as_str().cmp(k)).ok()).collect();
                kws.push(Kw::PyOrder(order));
            }
            kws.push(Kw::Properties(v));
        }
        if let Some(pp) = object("patternProperties")? {
            let mut v = Vec::new();
            for k in pp.keys() {
                let re = (self.regex)(k).map_err(|e| {
                    err("patternProperties", &format!("invalid regular expression {}: {e}", crate::json::quoted(k)))
                })?;
                v.push((re, sub(self, &format!("/patternProperties/{}", escape_token(k)))?));
            }
            kws.push(Kw::PatternProperties(v));
        }
        if let Some(ap) = obj.get("additionalProperties") {
            match self.py_truth(ap) {
                // (Python: `elif not aP and extras`: a value that is no schema counts by its truth.)
                Some(true) => {}
                Some(false) => kws.push(Kw::AdditionalProperties(self.false_node()?)),
                None => kws.push(Kw::AdditionalProperties(sub(self, "/additionalProperties")?)),
            }
        }
        if obj.contains_key("propertyNames") {
            kws.push(Kw::PropertyNames(sub(self, "/propertyNames")?));
        }
        let mut dep_schemas = Vec::new();
        let deps_key = if modern { "dependentSchemas" } else { "dependencies" };
        if let Some(deps) = object(deps_key)? {
            for (k, v) in deps {
                // python-jsonschema descends into what is not a list of names (and raises if it
                // is not a schema).
                let python = cfg!(feature = "python-re") && self.formats.python();
                let names = match v {
                    Value::Array(_) => !modern,
                    Value::String(_) => draft.is(Draft::Draft3),
                    _ => false,
                };
                if matches!(v, Value::Object(_) | Value::Bool(_)) || (python && !names) {
                    dep_schemas.push((k.clone(), sub(self, &format!("/{deps_key}/{}", escape_token(k)))?));
                }
            }
        }
        if !dep_schemas.is_empty() {
            kws.push(Kw::DependentSchemas(dep_schemas, deps_key));
        }
        if d2020 {
            if let Some(items) = list("prefixItems")? {
                let ids =
                    (0..items.len()).map(|i| sub(self, &format!("/prefixItems/{i}"))).collect::<Result<_, _>>()?;
                kws.push(Kw::PrefixItems(ids));
            }
            if obj.contains_key("items") {
                kws.push(Kw::Items(sub(self, "/items")?));
            }
        } else {
            match obj.get("items") {
                Some(Value::Array(items)) => {
                    let ids = (0..items.len()).map(|i| sub(self, &format!("/items/{i}"))).collect::<Result<_, _>>()?;
                    kws.push(Kw::PrefixItems(ids));
                    if let Some(ai) = obj.get("additionalItems") {
                        match self.py_truth(ai) {
                            Some(true) => {}
                            Some(false) => kws.push(Kw::AdditionalItems(items.len(), self.false_node()?)),
                            None => kws.push(Kw::AdditionalItems(items.len(), sub(self, "/additionalItems")?)),
                        }
                    }
                }
                Some(items) => {
                    #[cfg(not(feature = "python-re"))]
                    let _ = items;
                    // Python takes `len(items)` for `additionalItems`, and drafts 3 and 4 zip
                    // the array with it: a boolean raises there, for arrays.
                    #[cfg(feature = "python-re")]
                    if self.formats.python()
                        && !matches!(items, Value::Object(_) | Value::String(_))
                        && (obj.contains_key("additionalItems") || draft.old())
                    {
                        kws.push(Kw::Raise(
                            super::json::ARRAY,
                            format!(
                                "items at {}#{ptr}: a boolean, which python-jsonschema takes the length of",
                                info.base
                            ),
                        ));
                    }
                    kws.push(Kw::Items(sub(self, "/items")?))
                }
                None => {}
            }
        }
        if obj.contains_key("contains") {
            let (min, max) =
                if modern && info.validation { (count("minContains")?, count("maxContains")?) } else { (None, None) };
            // (Drafts 6 and 7 in Python stop at the first item that matches: `any(...)`;
            // u64::MAX as the most says so, which no array reaches.)
            #[cfg(feature = "python-re")]
            let max = max.or((self.formats.python() && !modern).then_some(u64::MAX));
            kws.push(Kw::Contains(sub_eval(self, "/contains")?, min.unwrap_or(1), max));
        }
        // Draft 3's `extends`: one schema or a list, all applied.
        match Some(obj).filter(|_| draft.is(Draft::Draft3)).and_then(|o| o.get("extends")) {
            Some(Value::Array(items)) => {
                let ids = (0..items.len()).map(|i| sub(self, &format!("/extends/{i}"))).collect::<Result<_, _>>()?;
                kws.push(Kw::AllOf(ids));
            }
            Some(Value::Object(_)) => kws.push(Kw::AllOf(vec![sub(self, "/extends")?])),
            _ => {}
        }
        #[cfg(feature = "python-re")]
        kws.append(&mut py_kws);
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(items) = list(key)? {
                if items.is_empty() {
                    return Err(err(key, "must not be empty"));
                }
                let ids = (0..items.len()).map(|i| sub(self, &format!("/{key}/{i}"))).collect::<Result<Vec<_>, _>>()?;
                // (`oneOf` tries the branches after the first that passes with
                // `evolve(...).is_valid`: their own ids do not move the base URI there.)
                #[cfg(feature = "python-re")]
                if key == "oneOf" && self.formats.python() {
                    for (i, &s) in ids.iter().enumerate() {
                        let loc = (doc, format!("{ptr}/oneOf/{i}"));
                        if self.info.get(&loc).is_some_and(|b| b.base != info.base) {
                            self.nodes[s].evolve = self.rebased(&loc, info.base.clone(), draft, false, false)?;
                        }
                    }
                }
                kws.push(match key {
                    "allOf" => Kw::AllOf(ids),
                    "anyOf" => Kw::AnyOf(ids),
                    _ => Kw::OneOf(ids),
                });
            }
        }
        if obj.contains_key("not") {
            kws.push(Kw::Not(sub_eval(self, "/not")?));
        }
        if obj.contains_key("if") && !draft.is(Draft::Draft6) {
            let then = if obj.contains_key("then") { Some(sub(self, "/then")?) } else { None };
            let els = if obj.contains_key("else") { Some(sub(self, "/else")?) } else { None };
            kws.push(Kw::If(sub_eval(self, "/if")?, then, els));
        }
        // (python-jsonschema finds what `unevaluated*` may skip by its own walk, 2019-09 and
        // 2020-12 alike: the Airflow modes follow it, not the spec's annotations.)
        #[cfg(feature = "python-re")]
        let py_walk = self.formats.python() && (d2020 || draft.is(Draft::Draft2019));
        #[cfg(not(feature = "python-re"))]
        let py_walk = false;
        #[cfg(feature = "python-re")]
        if py_walk {
            let here = (doc, ptr.to_string());
            if obj.contains_key("unevaluatedProperties") {
                let walk = self.walk_for(here.clone(), &info.base, draft, d2020, false)?;
                kws.push(Kw::PyUnevalProps(sub(self, "/unevaluatedProperties")?, walk));
            }
            if obj.contains_key("unevaluatedItems") {
                kws.push(Kw::PyUnevalItems(self.walk_for(here, &info.base, draft, d2020, true)?));
            }
        }
        if d2020 && !py_walk {
            if obj.contains_key("unevaluatedProperties") {
                self.needs_annotations = true;
                kws.push(Kw::UnevaluatedProperties(sub(self, "/unevaluatedProperties")?));
            }
            if obj.contains_key("unevaluatedItems") {
                self.needs_annotations = true;
                kws.push(Kw::UnevaluatedItems(sub(self, "/unevaluatedItems")?));
            }
        }
        #[cfg(feature = "python-re")]
        let kws = self.py_sorted(kws, raw);
        Ok(NodeKind::Keywords(kws))
    }

    /// python-jsonschema runs the keywords in the schema's order: where its `is_valid` stops at
    /// the first error, a raise after it is never reached. The Airflow modes run them so.
    #[cfg(feature = "python-re")]
    fn py_sorted(&self, mut kws: Vec<Kw>, raw: &Map) -> Vec<Kw> {
        if self.formats.python() {
            let source = |kw: &Kw| match kw {
                Kw::Raise(_, why) => why.split([':', ' ']).next().unwrap_or("").to_owned(),
                Kw::DynamicRef(..) if raw.contains_key("$recursiveRef") && !raw.contains_key("$dynamicRef") => {
                    "$recursiveRef".into()
                }
                other => other.name().to_owned(),
            };
            // (A `$ref` to a `$dynamicAnchor`'s name compiles to the first `DynamicRef`.)
            let mut dynamic_ref = raw.contains_key("$ref")
                && !kws
                    .iter()
                    .any(|kw| matches!(kw, Kw::Ref(_)) || (matches!(kw, Kw::Raise(..)) && source(kw) == "$ref"));
            let keys: Vec<usize> = kws
                .iter()
                .map(|kw| {
                    let key = match kw {
                        Kw::DynamicRef(..) if std::mem::take(&mut dynamic_ref) => "$ref".into(),
                        _ => source(kw),
                    };
                    raw.keys().position(|k| *k == key).unwrap_or(usize::MAX)
                })
                .collect();
            let mut order: Vec<(usize, Kw)> = keys.into_iter().zip(kws).collect();
            order.sort_by_key(|(key, _)| *key);
            kws = order.into_iter().map(|(_, kw)| kw).collect();
        }
        kws
    }
}

/// The keywords of both drafts (`definitions` and `dependencies` too, as ajv accepts them), then
/// those 2019-09 and 2020-12 added; one text each (a table of strings is larger in the wasm).
const KEYWORDS: &str = "$schema $id $ref $comment $defs definitions allOf anyOf oneOf not if then else \
dependencies items contains properties patternProperties additionalProperties propertyNames type enum const \
multipleOf maximum exclusiveMaximum minimum exclusiveMinimum maxLength minLength pattern maxItems minItems \
uniqueItems maxProperties minProperties required title description default readOnly writeOnly examples format \
contentEncoding contentMediaType";
const KEYWORDS_2020: &str = "$anchor $dynamicRef $dynamicAnchor $vocabulary dependentSchemas dependentRequired \
prefixItems unevaluatedItems unevaluatedProperties maxContains minContains deprecated contentSchema";

impl Compiler<'_> {
    /// Strict mode's refusals for one schema object: (keyword, why).
    #[inline(never)]
    fn strict_check(&self, obj: &Map, draft: Draft) -> Result<(), (String, String)> {
        const HOW: &str = "strict mode refuses it, strict: false";
        for key in obj.keys() {
            let listed = |list: &str| list.split(' ').any(|k| k == key);
            // (The older drafts' own keywords, which only `python-re` reads.)
            let older = "id divisibleBy disallow extends $recursiveRef $recursiveAnchor";
            let known = listed(KEYWORDS)
                || (cfg!(feature = "python-re")
                    && !draft.is(Draft::Draft2020)
                    && !draft.is(Draft::Draft7)
                    && listed(older))
                || match draft {
                    Draft::Draft2020 | Draft::Draft2019 => listed(KEYWORDS_2020),
                    _ => key == "additionalItems",
                };
            if !known {
                return Err((key.clone(), format!("is not a keyword of this draft (a typo?); {HOW} ignores it")));
            }
        }
        if let Some(f) = obj.get("format").and_then(Value::as_str) {
            if !Formats::All.asserts(f) && !self.added.contains(&f) {
                return Err((
                    "format".into(),
                    format!("{} is not a format this validator knows; {HOW} ignores it", crate::json::quoted(f)),
                ));
            }
        }
        if let Some(s) = obj.get("$schema").and_then(Value::as_str) {
            let uri = split_fragment(s).0;
            let rest = uri.strip_prefix("https://").or_else(|| uri.strip_prefix("http://"));
            let official =
                matches!(rest, Some("json-schema.org/draft/2020-12/schema" | "json-schema.org/draft-07/schema"))
                    || (cfg!(feature = "python-re")
                        && self.formats.python()
                        && matches!(
                            rest,
                            Some(
                                "json-schema.org/draft-03/schema"
                                    | "json-schema.org/draft-04/schema"
                                    | "json-schema.org/draft-06/schema"
                                    | "json-schema.org/draft/2019-09/schema"
                            )
                        ));
            if !official && !self.by_uri.contains_key(uri) {
                return Err((
                    "$schema".into(),
                    format!("{} is not a draft this validator implements (2020-12 and draft-07); {HOW} reads the schema as the closest one", crate::json::quoted(s)),
                ));
            }
        }
        Ok(())
    }
}

/// Whether `referencing` (python-jsonschema's registry) looks for ids and anchors in the
/// subschema at `suffix` (`/keyword/...`) of a schema of this draft.
#[cfg(feature = "python-re")]
fn crawls(draft: Draft, suffix: &str, deps_first_obj: bool) -> bool {
    let key = suffix.split('/').nth(1).unwrap_or("");
    let listed = |list: &str| list.split(' ').any(|k| k == key);
    let common = "allOf anyOf oneOf definitions patternProperties properties";
    let deps = key == "dependencies" && deps_first_obj;
    match draft {
        Draft::Draft2020 => {
            listed(common)
                || listed("additionalProperties contains contentSchema else if items not propertyNames then unevaluatedItems unevaluatedProperties prefixItems $defs dependentSchemas")
        }
        Draft::Draft2019 => {
            listed(common)
                || listed("additionalItems additionalProperties contains contentSchema else if items not propertyNames then unevaluatedItems unevaluatedProperties $defs dependentSchemas")
        }
        Draft::Draft7 => listed(common) || listed("additionalItems additionalProperties contains else if items not propertyNames then") || deps,
        Draft::Draft6 => listed(common) || listed("additionalItems additionalProperties contains items not propertyNames") || deps,
        Draft::Draft4 => listed(common) || listed("items not additionalItems additionalProperties") || deps,
        // (`extends` only as a list: Python iterates an object's keys.)
        Draft::Draft3 => {
            (listed(common) && !listed("allOf anyOf oneOf"))
                || listed("items additionalItems additionalProperties")
                || (key == "extends" && suffix != "/extends")
                || deps
        }
    }
}

/// The subschemas of a schema object, as (JSON Pointer suffix, schema).
fn subschemas(obj: &Map, draft: Draft) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    let single: &[&str] = match draft {
        Draft::Draft2020 => &[
            "additionalProperties",
            "unevaluatedProperties",
            "propertyNames",
            "items",
            "contains",
            "unevaluatedItems",
            "not",
            "if",
            "then",
            "else",
            "contentSchema",
        ],
        Draft::Draft2019 if cfg!(feature = "python-re") => &[
            "additionalProperties",
            "unevaluatedProperties",
            "propertyNames",
            "items",
            "additionalItems",
            "contains",
            "unevaluatedItems",
            "not",
            "if",
            "then",
            "else",
            "contentSchema",
        ],
        Draft::Draft3 if cfg!(feature = "python-re") => {
            &["additionalProperties", "items", "additionalItems", "extends"]
        }
        _ => &[
            "additionalProperties",
            "propertyNames",
            "items",
            "additionalItems",
            "contains",
            "not",
            "if",
            "then",
            "else",
        ],
    };
    for key in single {
        if let Some(v) = obj.get(key) {
            if matches!(v, Value::Object(_) | Value::Bool(_)) {
                out.push((format!("/{key}"), v));
            }
        }
    }
    for key in ["$defs", "definitions", "properties", "patternProperties", "dependentSchemas", "dependencies"] {
        if let Some(Value::Object(m)) = obj.get(key) {
            for (k, v) in m {
                if matches!(v, Value::Object(_) | Value::Bool(_)) {
                    out.push((format!("/{key}/{}", escape_token(k)), v));
                }
            }
        }
    }
    let draft3: &[&str] = if draft.is(Draft::Draft3) { &["extends", "type", "disallow"] } else { &[] };
    for key in ["allOf", "anyOf", "oneOf", "prefixItems", "items"].iter().chain(draft3) {
        if let Some(Value::Array(a)) = obj.get(key) {
            for (i, v) in a.iter().enumerate() {
                out.push((format!("/{key}/{i}"), v));
            }
        }
    }
    out
}

/// A map in insertion order with a hash index: O(1) a lookup (a linear scan made compiling
/// 20,000 properties quadratic; `BTreeMap` and `HashMap` cost ~7 KB of the gzipped module). The
/// hash is keyed by a random seed per map and finished with an avalanche, so keys cannot be
/// chosen to collide (FNV's low bits alone depend only on the keys' low bits).
struct VecMap<K, V> {
    entries: Vec<(K, V)>,
    /// Open addressing, linear probing: `index + 1` of an entry, 0 for an empty slot.
    slots: Vec<u32>,
    seed: u64,
}

trait MapKey: PartialEq {
    fn hash(&self, seed: u64) -> u64;
}

fn hash_str(seed: u64, s: &str) -> u64 {
    let h = s.bytes().fold(seed ^ 0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    // splitmix64's finalizer: every output bit depends on every bit of the state.
    let h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

impl MapKey for String {
    fn hash(&self, seed: u64) -> u64 {
        hash_str(seed, self)
    }
}

impl MapKey for Loc {
    fn hash(&self, seed: u64) -> u64 {
        hash_str(seed ^ (self.0 as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15), &self.1)
    }
}

impl<K: MapKey, V> VecMap<K, V> {
    fn new() -> Self {
        VecMap { entries: Vec::new(), slots: Vec::new(), seed: crate::platform::random_u64() }
    }

    /// The slot holding `key`, or the empty slot where it would go.
    fn slot<Q: ?Sized + PartialEq>(&self, key: &Q, hash: u64) -> usize
    where
        K: std::borrow::Borrow<Q>,
    {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            match self.slots[i] {
                0 => return i,
                e if self.entries[e as usize - 1].0.borrow() == key => return i,
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn get<Q: ?Sized + PartialEq + MapKeyRef>(&self, key: &Q) -> Option<&V>
    where
        K: std::borrow::Borrow<Q>,
    {
        if self.slots.is_empty() {
            return None;
        }
        match self.slots[self.slot(key, key.key_hash(self.seed))] {
            0 => None,
            e => Some(&self.entries[e as usize - 1].1),
        }
    }

    fn contains_key<Q: ?Sized + PartialEq + MapKeyRef>(&self, key: &Q) -> bool
    where
        K: std::borrow::Borrow<Q>,
    {
        self.get(key).is_some()
    }

    #[cfg(feature = "python-re")]
    fn len(&self) -> usize {
        self.entries.len()
    }

    fn insert(&mut self, key: K, value: V) {
        self.put(key, value, true);
    }

    /// Inserts unless the key is there already.
    fn insert_new(&mut self, key: K, value: V) {
        self.put(key, value, false);
    }

    fn put(&mut self, key: K, value: V, replace: bool) {
        if (self.entries.len() + 1) * 2 > self.slots.len() {
            let size = (self.slots.len() * 2).max(16);
            self.slots = vec![0; size];
            for e in 0..self.entries.len() {
                let i = self.slot(&self.entries[e].0, self.entries[e].0.hash(self.seed));
                self.slots[i] = e as u32 + 1;
            }
        }
        let i = self.slot(&key, key.hash(self.seed));
        match self.slots[i] {
            0 => {
                self.entries.push((key, value));
                self.slots[i] = self.entries.len() as u32;
            }
            e if replace => self.entries[e as usize - 1].1 = value,
            _ => {}
        }
    }

    fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

/// What a map is looked up by: a key, or a `str` for `String` keys; hashed alike.
trait MapKeyRef {
    fn key_hash(&self, seed: u64) -> u64;
}

impl MapKeyRef for str {
    fn key_hash(&self, seed: u64) -> u64 {
        hash_str(seed, self)
    }
}

impl<K: MapKey> MapKeyRef for K {
    fn key_hash(&self, seed: u64) -> u64 {
        self.hash(seed)
    }
}
