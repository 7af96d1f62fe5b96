//! Validation of one instance against compiled nodes, with ajv-shaped errors and the
//! annotations `unevaluated*` need.

use crate::json;
use crate::json::Value;

use super::compile::{Compiled, Kw, NodeId, NodeKind};
use super::json::{
    compare, equal_counted, first_duplicate, has_type, is_multiple_exact, is_multiple_python, TYPE_NAMES,
};
use super::uri::escape_token;
use super::{format, Pattern, ValidationError, ValidatorOptions};

enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Which members (of an object) or items (of an array) have been evaluated, for `unevaluated*`;
/// `None` when the schema has no such keyword or the instance is neither (no Vec to drop).
#[derive(Default)]
struct Ann(Option<Vec<bool>>);

impl Ann {
    fn merge(&mut self, other: &Ann) {
        if let (Some(a), Some(b)) = (&mut self.0, &other.0) {
            for (a, b) in a.iter_mut().zip(b) {
                *a |= *b;
            }
        }
    }

    fn mark(&mut self, i: usize) {
        if let Some(b) = self.0.as_mut().and_then(|v| v.get_mut(i)) {
            *b = true;
        }
    }

    fn marked(&self, i: usize) -> bool {
        self.0.as_ref().and_then(|v| v.get(i)).copied().unwrap_or(false)
    }
}

pub(crate) struct Ctx<'a> {
    c: &'a Compiled,
    opts: &'a ValidatorOptions,
    /// The host's checks of the caller's own formats (name, string), when it has them (JS
    /// functions); otherwise `opts.added_formats`' own.
    pub(crate) host_formats: Option<super::HostFormats<'a>>,
    pub(crate) errors: Vec<ValidationError>,
    path: Vec<Seg<'a>>,
    scope: Vec<usize>,
    /// `referencing`'s dynamic scope (the Airflow modes): the resources its `$ref` lookups
    /// pushed, oldest first; never the root without `$id`, whose base URI is empty.
    #[cfg(feature = "python-re")]
    py_scope: Vec<usize>,
    /// Whether the resolver carries the registry `referencing`'s crawl built (a lookup on the
    /// way missed the registry as python-jsonschema builds it).
    #[cfg(feature = "python-re")]
    py_crawled: bool,
    /// The Airflow modes: whether errors go on past the first (python-jsonschema's `is_valid`,
    /// in `not`, `if`, `contains` and the `unevaluated*` walk, stops at the first; `anyOf` and
    /// `oneOf` list every error of a branch), where it differs from the options.
    #[cfg(feature = "python-re")]
    py_all: Option<bool>,
    depth: usize,
    steps: u64,
    aborted: bool,
    /// Why a budget stopped the validation. Kept apart from `errors`, which `anyOf`/`oneOf`/`not`
    /// truncate when a branch passes: a stopped validation must never read as valid.
    stop: Option<ValidationError>,
    /// Whether an error was left out past `max_errors` or `max_error_bytes`.
    dropped: bool,
    /// About the JSON size of `errors[..=i]`, for each kept error `i`.
    error_bytes: Vec<usize>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(c: &'a Compiled, opts: &'a ValidatorOptions, prefix: Option<&'a str>) -> Ctx<'a> {
        Ctx {
            c,
            opts,
            host_formats: None,
            errors: Vec::new(),
            path: prefix.map(Seg::Key).into_iter().collect(),
            scope: Vec::new(),
            #[cfg(feature = "python-re")]
            py_scope: Vec::new(),
            #[cfg(feature = "python-re")]
            py_crawled: false,
            #[cfg(feature = "python-re")]
            py_all: None,
            depth: 0,
            steps: 0,
            aborted: false,
            stop: None,
            dropped: false,
            error_bytes: Vec::new(),
        }
    }

    /// Validates `instance`; returns the verdict and the errors. A validation stopped by a budget
    /// is invalid, with the budget's error last; an invalid verdict always has an error.
    pub(crate) fn run(mut self, instance: &'a Value) -> (bool, Vec<ValidationError>) {
        let mut ann = Ann::default();
        let ok = self.node(self.c.root, instance, &mut ann);
        let mut errors = self.errors;
        self.error_bytes.truncate(errors.len());
        let full = errors.len() >= self.opts.max_errors
            || self.error_bytes.last().is_some_and(|&b| b > self.opts.max_error_bytes);
        if self.dropped && full {
            errors.push(too_many_errors(self.opts.max_errors));
        }
        if let Some(stop) = self.stop {
            errors.push(stop);
            return (false, errors);
        }
        if !ok && errors.is_empty() {
            // Not expected: every failing keyword reports. Never an invalid verdict without a reason.
            errors.push(ValidationError {
                instance_path: String::new(),
                schema_path: "#".into(),
                keyword: "false schema".into(),
                params: json!({}),
                message: "is not valid".into(),
            });
        }
        (ok && errors.is_empty(), errors)
    }

    fn instance_path(&self) -> String {
        let mut s = String::new();
        for seg in &self.path {
            s.push('/');
            match seg {
                Seg::Key(k) => s.push_str(&escape_token(k)),
                Seg::Index(i) => s.push_str(&i.to_string()),
            }
        }
        s
    }

    fn error(&mut self, node: NodeId, keyword: &str, params: Value, message: String) {
        let location = &self.c.nodes[node].location;
        let mut schema_path = String::with_capacity(location.len() + 1 + keyword.len());
        schema_path.push_str(location);
        schema_path.push('/');
        schema_path.push_str(keyword);
        self.push_error(schema_path, keyword, params, message);
    }

    fn push_error(&mut self, schema_path: String, keyword: &str, mut params: Value, mut message: String) {
        // Branches that pass truncate `errors`: the sizes follow.
        self.error_bytes.truncate(self.errors.len());
        let bytes = self.error_bytes.last().copied().unwrap_or(0);
        if self.errors.len() >= self.opts.max_errors || bytes > self.opts.max_error_bytes {
            // Left out: the list ends with a `maxErrors` error if it still is this long at the end.
            self.dropped = true;
            return;
        }
        let instance_path = self.instance_path();
        let mut params_len = match &params {
            Value::Object(m) if m.is_empty() => 2,
            _ => params.to_json_string().len(),
        };
        if params_len + message.len() > self.opts.max_error_bytes {
            // One error larger than the whole room (a 4 MB key named in its params): its message
            // and its params' strings are cut to ERROR_STRING_CUT bytes.
            cut(&mut message);
            if let Value::Object(m) = &mut params {
                for (_, v) in m.iter_mut() {
                    match v {
                        Value::String(s) => cut(s),
                        Value::Array(_) | Value::Object(_) => *v = Value::Null,
                        _ => {}
                    }
                }
            }
            params_len = params.to_json_string().len();
        }
        self.error_bytes
            .push(bytes + instance_path.len() + schema_path.len() + keyword.len() + message.len() + params_len);
        self.errors.push(ValidationError { instance_path, schema_path, keyword: keyword.to_string(), params, message });
    }

    fn abort(&mut self, keyword: &str, message: String) {
        if !self.aborted {
            self.aborted = true;
            let instance_path = self.instance_path();
            self.stop = Some(ValidationError {
                instance_path,
                schema_path: "#".into(),
                keyword: keyword.to_string(),
                params: json!({}),
                message,
            });
        }
    }

    fn fresh(&mut self, inst: &Value) -> Ann {
        if !self.c.needs_annotations {
            return Ann::default();
        }
        // A mark per member: large objects and arrays pay for them (unevaluated* on an object of
        // 100,000 members under a fan-out schema was not bounded by maxSteps).
        let len = match inst {
            Value::Object(m) => m.len(),
            Value::Array(a) => a.len(),
            _ => 0,
        };
        self.steps = self.steps.saturating_add(len as u64 / 32);
        match inst {
            Value::Object(m) => Ann(Some(vec![false; m.len()])),
            Value::Array(a) => Ann(Some(vec![false; a.len()])),
            _ => Ann::default(),
        }
    }

    /// Validates `inst` against node `id`, merging its annotations into `parent` when valid.
    fn node(&mut self, id: NodeId, inst: &'a Value, parent: &mut Ann) -> bool {
        if self.aborted {
            return false;
        }
        self.steps += 1;
        if self.steps > self.opts.max_steps {
            self.abort(
                "maxSteps",
                format!(
                    "validation stopped after {} steps: the schema is too costly for this input",
                    self.opts.max_steps
                ),
            );
            return false;
        }
        if self.depth >= self.opts.max_depth {
            self.abort(
                "maxDepth",
                format!(
                    "validation stopped at nesting depth {}: the instance is nested too deeply, or the schema refers to itself without end",
                    self.opts.max_depth
                ),
            );
            return false;
        }
        let c = self.c;
        let node = &c.nodes[id];
        let kws = match &node.kind {
            NodeKind::Bool(true) => return true,
            NodeKind::Bool(false) => {
                self.error(id, "false schema", json!({}), "boolean schema is false".into());
                return false;
            }
            NodeKind::Keywords(kws) => kws,
        };
        let entered = self.scope.last() != Some(&node.resource);
        if entered {
            self.scope.push(node.resource);
        }
        self.depth += 1;
        let mut ann = self.fresh(inst);
        let mut valid = true;
        for kw in kws {
            if !self.keyword(id, kw, inst, &mut ann) {
                valid = false;
                if !self.all_errors() || self.aborted {
                    break;
                }
            }
        }
        self.depth -= 1;
        if entered {
            self.scope.pop();
        }
        if valid {
            parent.merge(&ann);
        }
        valid
    }

    /// Validates a child value (a property or item) against `id`.
    fn child(&mut self, id: NodeId, seg: Seg<'a>, inst: &'a Value) -> bool {
        self.path.push(seg);
        let mut ann = Ann::default();
        let ok = self.node(id, inst, &mut ann);
        self.path.pop();
        ok
    }

    /// Whether errors go on past the first one.
    fn all_errors(&self) -> bool {
        #[cfg(feature = "python-re")]
        if let Some(all) = self.py_all {
            return all;
        }
        self.opts.all_errors
    }

    /// In the Airflow modes, errors go on past the first one or not (`all`), as Python's
    /// evaluation does there; returns what to restore.
    #[cfg(feature = "python-re")]
    fn py_errors(&mut self, all: bool) -> Option<bool> {
        let old = self.py_all;
        if self.opts.formats.python() {
            self.py_all = Some(all);
        }
        old
    }

    /// `quietly` as python-jsonschema's `is_valid`: in the Airflow modes it stops at the first
    /// error, so a raise after it is never reached.
    fn is_valid(&mut self, id: NodeId, inst: &'a Value, ann: &mut Ann) -> bool {
        #[cfg(feature = "python-re")]
        let old = self.py_errors(false);
        let ok = self.quietly(id, inst, ann);
        #[cfg(feature = "python-re")]
        {
            self.py_all = old;
        }
        ok
    }

    /// Whether `inst` is valid against `id`, keeping no errors either way.
    fn quietly(&mut self, id: NodeId, inst: &'a Value, ann: &mut Ann) -> bool {
        let before = self.errors.len();
        let ok = self.node(id, inst, ann);
        if !self.aborted {
            self.errors.truncate(before);
        }
        ok
    }

    /// python-jsonschema's walk for `unevaluated*` (pywalk.rs): marks in `seen` the members
    /// (or items) that the walk `w` finds evaluated.
    #[cfg(feature = "python-re")]
    fn py_walk(&mut self, w: usize, inst: &'a Value, seen: &mut [bool]) {
        use super::compile::pywalk::Step;
        if self.aborted {
            return;
        }
        self.steps += 1;
        if self.steps > self.opts.max_steps || self.depth >= self.opts.max_depth {
            let why = if self.depth >= self.opts.max_depth { "maxDepth" } else { "maxSteps" };
            self.abort(why, format!("validation stopped in unevaluated* ({why})"));
            return;
        }
        let c = self.c;
        let walk = &c.walks[w];
        let entered = self.scope.last() != Some(&walk.resource);
        if entered {
            self.scope.push(walk.resource);
        }
        self.depth += 1;
        let valid = |ctx: &mut Self, s: NodeId, v: &'a Value| ctx.is_valid(s, v, &mut Ann::default());
        let members = match inst {
            Value::Object(m) => m.len(),
            Value::Array(a) => a.len(),
            _ => 0,
        };
        for step in &walk.steps {
            match (step, inst) {
                (Step::Walk(t, push), _) => {
                    let pushed = self.py_push_walk(*push);
                    self.py_walk(*t, inst, seen);
                    if pushed {
                        self.py_scope.pop();
                    }
                }
                (Step::Dynamic(t, anchor, cands, push), _) => {
                    let pushed = self.py_push_walk(*push);
                    let Some(d) = self.py_dynamic_target(None, *t, anchor) else {
                        if pushed {
                            self.py_scope.pop();
                        }
                        self.abort("schema", UNRESOLVABLE_SCOPE.into());
                        break;
                    };
                    if let Some(&(_, wd)) = cands.iter().find(|(n, _)| *n == d).or(cands.first()) {
                        self.py_walk(wd, inst, seen);
                    }
                    if pushed {
                        self.py_scope.pop();
                    }
                }
                (Step::Raise(why, only_members), _) if !*only_members || members > 0 => {
                    self.abort("schema", format!("{why}: python-jsonschema raises here, so Airflow refuses the run"));
                }
                (Step::AllKeys | Step::AllItems, _) => seen.iter_mut().for_each(|s| *s = true),
                (Step::Names(names), Value::Object(obj)) => {
                    for (i, (key, _)) in obj.iter().enumerate() {
                        seen[i] |= names.iter().any(|n| n == key);
                    }
                }
                (Step::ValidValues(s), Value::Object(obj)) => {
                    for (i, (_, v)) in obj.iter().enumerate() {
                        if valid(self, *s, v) {
                            seen[i] = true;
                        }
                        if self.aborted {
                            break;
                        }
                    }
                }
                (Step::Patterns(pp), Value::Object(obj)) => {
                    for (i, (key, _)) in obj.iter().enumerate() {
                        if !seen[i] && pp.iter().any(|re| self.matches(re, key)) {
                            seen[i] = true;
                        }
                    }
                }
                (Step::Dependent(deps), Value::Object(obj)) => {
                    for (key, wd) in deps {
                        if obj.contains_key(key) {
                            self.py_walk(*wd, inst, seen);
                        }
                    }
                }
                (Step::Group(list), _) => {
                    for &(s, wd) in list {
                        if valid(self, s, inst) {
                            self.py_walk(wd, inst, seen);
                        }
                        if self.aborted {
                            break;
                        }
                    }
                }
                (Step::If(test, wi, then, els), _) => {
                    if valid(self, *test, inst) {
                        self.py_walk(*wi, inst, seen);
                        if let Some(t) = then {
                            self.py_walk(*t, inst, seen);
                        }
                    } else if let Some(e) = els {
                        self.py_walk(*e, inst, seen);
                    }
                }
                (Step::FirstItems(n), Value::Array(_)) => seen.iter_mut().take(*n).for_each(|s| *s = true),
                (Step::ValidItems(s), Value::Array(arr)) => {
                    for (i, v) in arr.iter().enumerate() {
                        if valid(self, *s, v) {
                            seen[i] = true;
                        }
                        if self.aborted {
                            break;
                        }
                    }
                }
                _ => {}
            }
            if self.aborted {
                break;
            }
        }
        self.depth -= 1;
        if entered {
            self.scope.pop();
        }
    }

    /// Python's resolver following a `$ref` from node `id` (`_evolve`): the base URI it has
    /// there joins the dynamic scope, unless it is empty or the lookup asks for that very URI
    /// (`same`) with a scope already. Whether it did.
    #[cfg(feature = "python-re")]
    fn py_push(&mut self, id: NodeId, same: bool) -> bool {
        let cur = self.c.nodes[id].scope;
        let push =
            self.opts.formats.python() && !self.c.resources[cur].anonymous && (self.py_scope.is_empty() || !same);
        if push {
            self.py_scope.push(cur);
        }
        push
    }

    /// [`Self::py_push`] for a lookup in a walk.
    #[cfg(feature = "python-re")]
    fn py_push_walk(&mut self, push: super::compile::pywalk::Push) -> bool {
        let Some((cur, same)) = push else { return false };
        let push = !self.c.resources[cur].anonymous && (self.py_scope.is_empty() || !same);
        if push {
            self.py_scope.push(cur);
        }
        push
    }

    /// A `$dynamicRef`'s or `$recursiveRef`'s target as `referencing` finds it: the outermost
    /// dynamic anchor of that name in its dynamic scope; for `$recursiveRef`, outwards from the
    /// most recent while each resource has `$recursiveAnchor: true`, each URI looked up again
    /// from `from`'s base URI (`resolver.lookup(uri)`: a relative one joins it). `None` where
    /// the search meets a URI no resource has: `referencing` raises there.
    #[cfg(feature = "python-re")]
    fn py_dynamic_target(&self, from: Option<NodeId>, target: NodeId, anchor: &Option<String>) -> Option<NodeId> {
        let Some(name) = anchor else { return Some(target) };
        let resources = &self.c.resources;
        let found = |r: usize| resources[r].dynamic_anchors.iter().find(|(n, _)| n == name).map(|(_, id)| *id);
        let mut target = target;
        if name == super::compile::RECURSIVE {
            let py = |u: &'a str| if u == super::compile::DEFAULT_BASE { "" } else { u };
            let base = from.map(|id| py(&resources[self.c.nodes[id].scope].uri));
            for &r in self.py_scope.iter().rev() {
                let r = match base {
                    Some(base) => {
                        let uri = super::pyurl::urljoin(base, py(&resources[r].uri)).ok()?;
                        let uri = if uri.is_empty() { super::compile::DEFAULT_BASE } else { uri.as_str() };
                        let r = resources.iter().position(|x| x.registered && x.uri == uri)?;
                        // (Found by a lookup of its URI: with that URI as its base.)
                        if let (Some(_), Some(here)) = (found(r), resources[r].recursive_here) {
                            target = here;
                            continue;
                        }
                        r
                    }
                    None if !resources[r].registered => return None,
                    None => r,
                };
                match found(r) {
                    Some(id) => target = id,
                    None => break,
                }
            }
            return Some(target);
        }
        for &r in self.py_scope.iter().rev() {
            if !resources[r].registered {
                return None;
            }
            target = found(r).unwrap_or(target);
        }
        Some(target)
    }

    fn dynamic_target(&self, target: NodeId, anchor: &Option<String>) -> NodeId {
        let mut target = target;
        #[cfg(feature = "python-re")]
        if anchor.as_deref() == Some(super::compile::RECURSIVE) {
            for &r in self.scope.iter().rev().skip(1) {
                match self.c.resources[r].dynamic_anchors.iter().find(|(n, _)| Some(n) == anchor.as_ref()) {
                    Some((_, id)) => target = *id,
                    None => break,
                }
            }
            return target;
        }
        if let Some(anchor) = anchor {
            // The outermost resource in the dynamic scope with this dynamic anchor wins.
            let found = self.scope.iter().find_map(|&r| {
                self.c.resources[r].dynamic_anchors.iter().find(|(n, _)| n == anchor).map(|(_, id)| *id)
            });
            target = found.unwrap_or(target);
        }
        target
    }

    /// A `$dynamicRef`, `$recursiveRef` or `$ref` to a dynamic anchor in the Airflow modes (out of
    /// `keyword`, whose stack frame every level of a recursion pays for in a debug build).
    #[cfg(feature = "python-re")]
    #[inline(never)]
    fn py_dynamic_ref(
        &mut self,
        id: NodeId,
        target: &'a NodeId,
        anchor: &'a Option<String>,
        inst: &'a Value,
        ann: &mut Ann,
    ) -> bool {
        let c = self.c;
        let (target, anchor) = match c.crawled_recursive.binary_search_by_key(&id, |e| e.0) {
            Ok(i) if self.py_crawled => (&c.crawled_recursive[i].1, &c.crawled_recursive[i].2),
            _ => (target, anchor),
        };
        // `$dynamicRef` looks the anchor up in the scope its lookup pushed to;
        // `$recursiveRef` in the scope it had, then follows with a lookup.
        let recursive = anchor.as_deref() == Some(super::compile::RECURSIVE);
        let mut pushed = !recursive && self.py_push(id, self.c.nodes[id].same_base & 2 != 0);
        let Some(to) = self.py_dynamic_target(Some(id), *target, anchor) else {
            if pushed {
                self.py_scope.pop();
            }
            self.abort("schema", UNRESOLVABLE_SCOPE.into());
            return false;
        };
        if recursive {
            pushed = self.py_push(id, self.c.nodes[to].resource == self.c.nodes[id].scope);
        }
        let to = match self.c.winners.binary_search_by_key(&(id, *target, to), |w| w.0) {
            Ok(i) if !recursive => self.c.winners[i].1,
            _ => to,
        };
        let crawls = self.c.nodes[id].same_base & 8 != 0 && !recursive;
        let crawled = self.py_crawled;
        self.py_crawled |= crawls;
        let ok = self.node(to, inst, ann);
        self.py_crawled = crawled;
        if pushed {
            self.py_scope.pop();
        }
        ok
    }

    fn keyword(&mut self, id: NodeId, kw: &'a Kw, inst: &'a Value, ann: &mut Ann) -> bool {
        match kw {
            #[cfg(feature = "python-re")]
            Kw::PyUnevalProps(s, walk) => {
                let Value::Object(obj) = inst else { return true };
                let mut seen = vec![false; obj.len()];
                self.py_walk(*walk, inst, &mut seen);
                if self.aborted {
                    return false;
                }
                let mut ok = true;
                for (_, (key, value)) in obj.iter().enumerate().filter(|(i, _)| !seen[*i]) {
                    self.path.push(Seg::Key(key));
                    let valid = self.quietly(*s, value, &mut Ann::default());
                    self.path.pop();
                    // (A stopped validation says why, not that a property was unevaluated.)
                    if self.aborted {
                        return false;
                    }
                    if !valid {
                        ok = false;
                        self.error(
                            id,
                            kw.name(),
                            json!({ "unevaluatedProperty": key }),
                            "must NOT have unevaluated properties".into(),
                        );
                        if !self.all_errors() || self.aborted {
                            break;
                        }
                    }
                }
                ok && !self.aborted
            }
            #[cfg(feature = "python-re")]
            Kw::PyUnevalItems(walk) => {
                let Value::Array(arr) = inst else { return true };
                let mut seen = vec![false; arr.len()];
                self.py_walk(*walk, inst, &mut seen);
                if self.aborted {
                    return false;
                }
                let Some(first) = seen.iter().position(|s| !*s) else { return true };
                self.error(id, kw.name(), json!({ "limit": first }), format!("must NOT have more than {first} items"));
                false
            }
            #[cfg(feature = "python-re")]
            Kw::PyOrder(_) => true,
            #[cfg(feature = "python-re")]
            Kw::RaiseItems(why) => {
                if !matches!(inst, Value::Array(a) if !a.is_empty()) {
                    return true;
                }
                self.abort(kw.name(), format!("{why} (python-jsonschema raises here, so Airflow refuses the run)"));
                false
            }
            #[cfg(feature = "python-re")]
            Kw::Raise(types, why) => {
                if !has_type(inst, *types) {
                    return true;
                }
                self.abort(kw.name(), format!("{why} (python-jsonschema raises here, so Airflow refuses the run)"));
                false
            }
            #[cfg(feature = "python-re")]
            Kw::Type3(types, disallow) => {
                use super::compile::Type3;
                let mut matched = false;
                for t in types {
                    matched = match t {
                        Type3::Bits(bits) => has_type(inst, *bits),
                        Type3::Schema(s) => self.quietly(*s, inst, &mut Ann::default()),
                        Type3::Unknown(name) => {
                            self.abort(
                                "schema",
                                format!("{name} is not a type: python-jsonschema raises UnknownType, as Airflow does"),
                            );
                            return false;
                        }
                    };
                    if matched || self.aborted {
                        break;
                    }
                }
                if self.aborted || matched != *disallow {
                    return !self.aborted;
                }
                // As ajv's shapes: `type` with the names, and `disallow` as a `not`.
                let names: Vec<String> = types
                    .iter()
                    .map(|t| match t {
                        Type3::Bits(u8::MAX) => "any".into(),
                        Type3::Bits(b) => TYPE_NAMES
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| (b | (b >> 1 & super::json::INTEGER)) & (1 << i) != 0)
                            .map(|(_, n)| *n)
                            .collect::<Vec<_>>()
                            .join(","),
                        _ => "schema".into(),
                    })
                    .collect();
                let names = names.join(",");
                match disallow {
                    false => self.error(id, "type", json!({ "type": names.clone() }), format!("must be {names}")),
                    true => self.error(id, "not", json!({}), format!("must NOT be {names} (draft 3's disallow)")),
                }
                false
            }
            #[cfg(feature = "python-re")]
            Kw::Ref(target) if self.opts.formats.python() => {
                let node = &self.c.nodes[id];
                let (same, crawls) = (node.same_base & 1 != 0, node.same_base & 4 != 0);
                let target = match node.crawled_ref {
                    t if t != super::compile::UNREGISTERED && self.py_crawled => t,
                    _ => *target,
                };
                let pushed = self.py_push(id, same);
                let crawled = self.py_crawled;
                self.py_crawled |= crawls;
                let ok = self.node(target, inst, ann);
                self.py_crawled = crawled;
                if pushed {
                    self.py_scope.pop();
                }
                ok
            }
            #[cfg(feature = "python-re")]
            Kw::DynamicRef(target, anchor) if self.opts.formats.python() => {
                self.py_dynamic_ref(id, target, anchor, inst, ann)
            }
            Kw::Ref(target) => self.node(*target, inst, ann),
            Kw::DynamicRef(target, anchor) => {
                let target = self.dynamic_target(*target, anchor);
                self.node(target, inst, ann)
            }
            Kw::AllOf(ids) => {
                let mut ok = true;
                for &s in ids {
                    ok &= self.node(s, inst, ann);
                    if !ok && !self.all_errors() {
                        break;
                    }
                }
                ok
            }
            Kw::AnyOf(ids) => {
                let before = self.errors.len();
                let mut ok = false;
                #[cfg(feature = "python-re")]
                let old = self.py_errors(true);
                for &s in ids {
                    let mut branch = self.fresh(inst);
                    if self.node(s, inst, &mut branch) {
                        ok = true;
                        ann.merge(&branch);
                        if !self.c.needs_annotations {
                            break;
                        }
                    }
                }
                #[cfg(feature = "python-re")]
                {
                    self.py_all = old;
                }
                if ok {
                    self.errors.truncate(before);
                } else {
                    self.error(id, kw.name(), json!({}), "must match a schema in anyOf".into());
                }
                ok
            }
            Kw::OneOf(ids) => {
                let before = self.errors.len();
                let mut passing = Vec::new();
                let mut kept = Ann::default();
                // (python-jsonschema lists every error of each branch up to the first that
                // passes, then tries every other one with `is_valid`.)
                #[cfg(feature = "python-re")]
                let old = self.py_errors(true);
                for (i, &s) in ids.iter().enumerate() {
                    let mut branch = self.fresh(inst);
                    #[cfg(feature = "python-re")]
                    let s = match passing.is_empty() {
                        true => s,
                        false => {
                            self.py_errors(false);
                            match self.c.nodes[s].evolve {
                                super::compile::UNREGISTERED => s,
                                e => e,
                            }
                        }
                    };
                    if self.node(s, inst, &mut branch) {
                        passing.push(i);
                        kept = branch;
                        if passing.len() > 1 && !(cfg!(feature = "python-re") && self.opts.formats.python()) {
                            break;
                        }
                    }
                    #[cfg(feature = "python-re")]
                    if self.aborted {
                        break;
                    }
                }
                #[cfg(feature = "python-re")]
                {
                    self.py_all = old;
                }
                if passing.len() == 1 {
                    self.errors.truncate(before);
                    ann.merge(&kept);
                    return true;
                }
                if passing.len() > 1 {
                    self.errors.truncate(before);
                }
                // (ajv's shape: the first two that pass; the Airflow modes try them all.)
                #[cfg(feature = "python-re")]
                passing.truncate(2);
                let params = if passing.len() > 1 {
                    json!({ "passingSchemas": passing })
                } else {
                    json!({ "passingSchemas": null })
                };
                self.error(id, kw.name(), params, "must match exactly one schema in oneOf".into());
                false
            }
            Kw::Not(s) => {
                let mut scratch = self.fresh(inst);
                if self.is_valid(*s, inst, &mut scratch) {
                    self.error(id, kw.name(), json!({}), "must NOT be valid".into());
                    false
                } else {
                    !self.aborted
                }
            }
            Kw::If(cond, then, els) => {
                let mut branch = self.fresh(inst);
                let (next, which) = if self.is_valid(*cond, inst, &mut branch) {
                    ann.merge(&branch);
                    (then, "then")
                } else {
                    (els, "else")
                };
                match next {
                    Some(s) if !self.node(*s, inst, ann) => {
                        self.error(
                            id,
                            kw.name(),
                            json!({ "failingKeyword": which }),
                            format!("must match \"{which}\" schema"),
                        );
                        false
                    }
                    _ => !self.aborted,
                }
            }
            Kw::DependentSchemas(deps, _) => {
                let Value::Object(obj) = inst else { return true };
                let mut ok = true;
                for (key, s) in deps {
                    if obj.contains_key(key) {
                        ok &= self.node(*s, inst, ann);
                    }
                }
                ok
            }
            _ => match inst {
                Value::Object(obj) => self.object_keyword(id, kw, obj, inst, ann),
                Value::Array(arr) => self.array_keyword(id, kw, arr, inst, ann),
                _ => self.assertion(id, kw, inst),
            },
        }
    }

    fn object_keyword(
        &mut self,
        id: NodeId,
        kw: &'a Kw,
        obj: &'a crate::json::Map,
        inst: &'a Value,
        ann: &mut Ann,
    ) -> bool {
        match kw {
            Kw::Properties(props) => {
                #[cfg(feature = "python-re")]
                if !self.all_errors() {
                    let node = self.c.nodes[id].kws();
                    if let Some(order) = node.iter().find_map(|k| if let Kw::PyOrder(o) = k { Some(o) } else { None }) {
                        for &p in order {
                            let (key, s) = &props[p];
                            if let Some(value) = obj.get(key) {
                                if !self.child(*s, Seg::Key(key), value) {
                                    return false;
                                }
                            }
                        }
                        return true;
                    }
                }
                let mut ok = true;
                for (i, (key, value)) in obj.iter().enumerate() {
                    if let Ok(p) = props.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
                        ann.mark(i);
                        ok &= self.child(props[p].1, Seg::Key(key), value);
                        if !ok && !self.all_errors() {
                            return false;
                        }
                    }
                }
                ok
            }
            Kw::PatternProperties(patterns) => {
                let mut ok = true;
                for (i, (key, value)) in obj.iter().enumerate() {
                    for (re, s) in patterns {
                        if self.matches(re, key) {
                            ann.mark(i);
                            ok &= self.child(*s, Seg::Key(key), value);
                            if !ok && !self.all_errors() {
                                return false;
                            }
                        }
                    }
                }
                ok
            }
            Kw::AdditionalProperties(s) => {
                let node = self.c.nodes[id].kws();
                let props = node.iter().find_map(|k| if let Kw::Properties(p) = k { Some(p) } else { None });
                let patterns = node.iter().find_map(|k| if let Kw::PatternProperties(p) = k { Some(p) } else { None });
                let mut ok = true;
                for (i, (key, value)) in obj.iter().enumerate() {
                    let mut known = props.is_some_and(|p| p.binary_search_by(|(k, _)| k.as_str().cmp(key)).is_ok());
                    for (re, _) in patterns.into_iter().flatten() {
                        if known {
                            break;
                        }
                        known = self.matches(re, key);
                    }
                    if self.aborted {
                        return false;
                    }
                    if known {
                        continue;
                    }
                    ann.mark(i);
                    ok &= self.extra(
                        id,
                        *s,
                        kw.name(),
                        Seg::Key(key),
                        value,
                        || json!({ "additionalProperty": key }),
                        || "must NOT have additional properties".into(),
                    );
                    if !ok && !self.all_errors() {
                        return false;
                    }
                }
                ok
            }
            Kw::UnevaluatedProperties(s) => {
                let mut ok = true;
                for (i, (key, value)) in obj.iter().enumerate() {
                    if ann.marked(i) {
                        continue;
                    }
                    ann.mark(i);
                    ok &= self.extra(
                        id,
                        *s,
                        kw.name(),
                        Seg::Key(key),
                        value,
                        || json!({ "unevaluatedProperty": key }),
                        || "must NOT have unevaluated properties".into(),
                    );
                    if !ok && !self.all_errors() {
                        return false;
                    }
                }
                ok
            }
            Kw::PropertyNames(s) => {
                let mut ok = true;
                for key in obj.keys() {
                    let before = self.errors.len();
                    let name_value = Value::String(key.clone());
                    let mut scratch = Ann::default();
                    // The name is a fresh value; validate it without borrowing from the instance.
                    let valid = {
                        let c = self.c;
                        let opts = self.opts;
                        let mut sub = Ctx::new(c, opts, None);
                        sub.steps = self.steps;
                        sub.depth = self.depth;
                        let r = sub.node(*s, &name_value, &mut scratch);
                        self.steps = sub.steps;
                        if let Some(stop) = sub.stop {
                            self.aborted = true;
                            self.stop.get_or_insert(stop);
                        }
                        r
                    };
                    self.errors.truncate(before);
                    if !valid {
                        ok = false;
                        self.error(id, kw.name(), json!({ "propertyName": key }), "property name must be valid".into());
                        if !self.all_errors() {
                            return false;
                        }
                    }
                }
                ok
            }
            Kw::Required(names) => {
                let mut ok = true;
                for n in names {
                    if !obj.contains_key(n) {
                        ok = false;
                        self.error(
                            id,
                            kw.name(),
                            json!({ "missingProperty": n }),
                            format!("must have required property '{n}'"),
                        );
                        if !self.all_errors() {
                            return false;
                        }
                    }
                }
                ok
            }
            Kw::DependentRequired(deps, _) => {
                let mut ok = true;
                for (key, needed) in deps {
                    if !obj.contains_key(key) {
                        continue;
                    }
                    for n in needed {
                        if !obj.contains_key(n) {
                            ok = false;
                            self.error(
                                id,
                                kw.name(),
                                json!({ "property": key, "missingProperty": n, "depsCount": needed.len(), "deps": crate::text::join(&needed.iter().map(|s| &**s).collect::<Vec<&str>>(), ", ") }),
                                format!("must have property {n} when property {key} is present"),
                            );
                        }
                    }
                }
                ok
            }
            Kw::MaxProperties(n) => self.limit(id, kw.name(), obj.len() as u64 <= *n, *n, "more", "properties"),
            Kw::MinProperties(n) => self.limit(id, kw.name(), obj.len() as u64 >= *n, *n, "fewer", "properties"),
            _ => self.assertion(id, kw, inst),
        }
    }

    fn array_keyword(&mut self, id: NodeId, kw: &'a Kw, arr: &'a [Value], inst: &'a Value, ann: &mut Ann) -> bool {
        match kw {
            Kw::PrefixItems(ids) => {
                let mut ok = true;
                for (i, (item, &s)) in arr.iter().zip(ids).enumerate() {
                    ann.mark(i);
                    ok &= self.child(s, Seg::Index(i), item);
                    if !ok && !self.all_errors() {
                        return false;
                    }
                }
                ok
            }
            Kw::Items(s) | Kw::AdditionalItems(_, s) => {
                let start = match kw {
                    Kw::AdditionalItems(n, _) => *n,
                    _ => self.c.nodes[id]
                        .kws()
                        .iter()
                        .find_map(|k| if let Kw::PrefixItems(p) = k { Some(p.len()) } else { None })
                        .unwrap_or(0),
                };
                let mut ok = true;
                for (i, item) in arr.iter().enumerate().skip(start) {
                    ann.mark(i);
                    ok &= self.extra(
                        id,
                        *s,
                        kw.name(),
                        Seg::Index(i),
                        item,
                        || json!({ "limit": start }),
                        || format!("must NOT have more than {start} items"),
                    );
                    if !ok && !self.all_errors() {
                        return false;
                    }
                }
                ok
            }
            Kw::UnevaluatedItems(s) => {
                let mut ok = true;
                for (i, item) in arr.iter().enumerate() {
                    if ann.marked(i) {
                        continue;
                    }
                    ann.mark(i);
                    ok &= self.extra(
                        id,
                        *s,
                        kw.name(),
                        Seg::Index(i),
                        item,
                        || json!({ "limit": i }),
                        || format!("must NOT have more than {i} items"),
                    );
                    if !ok && !self.all_errors() {
                        return false;
                    }
                }
                ok
            }
            Kw::Contains(s, min, max) => {
                let mut count = 0u64;
                for (i, item) in arr.iter().enumerate() {
                    self.path.push(Seg::Index(i));
                    let mut scratch = Ann::default();
                    let matched = self.is_valid(*s, item, &mut scratch);
                    self.path.pop();
                    if matched {
                        count += 1;
                        ann.mark(i);
                    }
                    // (python-jsonschema stops once more items match than the most, or at the
                    // first that matches in drafts 6 and 7.)
                    #[cfg(feature = "python-re")]
                    if self.opts.formats.python() && matched && max.is_some_and(|m| count > m || m == u64::MAX) {
                        break;
                    }
                }
                if count < *min {
                    self.error(
                        id,
                        kw.name(),
                        json!({ "minContains": min }),
                        format!("must contain at least {min} valid item(s)"),
                    );
                    return false;
                }
                if let Some(max) = max {
                    if count > *max {
                        self.error(
                            id,
                            kw.name(),
                            json!({ "minContains": min, "maxContains": max }),
                            format!("must contain at most {max} valid item(s)"),
                        );
                        return false;
                    }
                }
                true
            }
            Kw::MaxItems(n) => self.limit(id, kw.name(), arr.len() as u64 <= *n, *n, "more", "items"),
            Kw::MinItems(n) => self.limit(id, kw.name(), arr.len() as u64 >= *n, *n, "fewer", "items"),
            Kw::UniqueItems => {
                // Hashing and comparing count against maxSteps by the values they visit.
                let found = self.budgeted(
                    1,
                    |budget| {
                        if self.opts.formats.python() {
                            super::python::duplicate(arr, budget)
                        } else {
                            first_duplicate(arr, budget)
                        }
                    },
                    || format!("uniqueItems on {} items is too costly", arr.len()),
                );
                match found {
                    Some(None) => true,
                    Some(Some((i, j))) => {
                        self.error(
                            id,
                            kw.name(),
                            json!({ "i": i, "j": j }),
                            format!("must NOT have duplicate items (items ## {j} and {i} are identical)"),
                        );
                        false
                    }
                    None => false,
                }
            }
            _ => self.assertion(id, kw, inst),
        }
    }

    /// A value beyond `properties`/`items`: a `false` schema is one error at the parent.
    #[allow(clippy::too_many_arguments)]
    fn extra(
        &mut self,
        id: NodeId,
        s: NodeId,
        name: &str,
        seg: Seg<'a>,
        value: &'a Value,
        params: impl Fn() -> Value,
        message: impl Fn() -> String,
    ) -> bool {
        if matches!(self.c.nodes[s].kind, NodeKind::Bool(false)) {
            self.error(id, name, params(), message());
            return false;
        }
        self.child(s, seg, value)
    }

    fn limit(&mut self, id: NodeId, name: &str, ok: bool, n: u64, side: &str, what: &str) -> bool {
        if !ok {
            self.error(id, name, json!({ "limit": n }), format!("must NOT have {side} than {n} {what}"));
        }
        ok
    }

    /// Keywords that look only at the value itself. The error's params and message are built
    /// only when the check fails: valid input allocates nothing here.
    fn assertion(&mut self, id: NodeId, kw: &Kw, inst: &Value) -> bool {
        let ok = match kw {
            Kw::Type(bits) => has_type(inst, *bits),
            Kw::Enum(values) => match self.equal_any(values, inst) {
                Some(found) => found,
                None => return false,
            },
            Kw::Const(v) => match self.equal_any(std::slice::from_ref(v), inst) {
                Some(found) => found,
                None => return false,
            },
            Kw::MultipleOf(m) => match inst {
                Value::Number(n) if self.opts.formats.python() => is_multiple_python(n, m),
                Value::Number(n) => is_multiple_exact(n, m),
                _ => true,
            },
            Kw::Maximum(m) | Kw::ExclusiveMaximum(m) | Kw::Minimum(m) | Kw::ExclusiveMinimum(m) => {
                let Value::Number(n) = inst else { return true };
                let ord = compare(n, m);
                match kw {
                    Kw::Maximum(_) => ord.is_le(),
                    Kw::ExclusiveMaximum(_) => ord.is_lt(),
                    Kw::Minimum(_) => ord.is_ge(),
                    _ => ord.is_gt(),
                }
            }
            Kw::MaxLength(n) | Kw::MinLength(n) => {
                let Value::String(s) = inst else { return true };
                let len = s.chars().count() as u64;
                if matches!(kw, Kw::MaxLength(_)) {
                    len <= *n
                } else {
                    len >= *n
                }
            }
            Kw::Pattern(p) => {
                let Value::String(s) = inst else { return true };
                self.matches(p, s)
            }
            Kw::Format(f) => {
                let Value::String(s) = inst else { return true };
                if let Some((_, check)) = self.opts.added_formats.iter().find(|(name, _)| name == f) {
                    match self.host_formats {
                        Some(host) => host(f, s),
                        None => check(s),
                    }
                } else if f == "regex" {
                    // Compiling costs about its length (the program is at most 20,000 instructions).
                    self.steps = self.steps.saturating_add(1 + s.len() as u64 / REGEX_UNITS_PER_STEP);
                    if self.steps > self.opts.max_steps {
                        self.abort(
                            "maxSteps",
                            format!(
                                "validation stopped after {} steps: format \"regex\" on a long string",
                                self.opts.max_steps
                            ),
                        );
                        return false;
                    }
                    match super::compile_regex(self.opts.formats, s) {
                        Ok(_) => true,
                        // Deeper than this crate compiles, not than Python does (~490 levels): a
                        // value, not a schema, so not refused for it.
                        #[cfg(feature = "python-re")]
                        Err(e) if self.opts.formats.python() => e == super::pyregex::TOO_DEEP,
                        Err(_) => false,
                    }
                } else {
                    format::check(self.opts.formats, f, s)
                }
            }
            _ => true,
        };
        if !ok && !self.aborted {
            let (params, message) = failure(kw);
            self.error(id, kw.name(), params, message);
        }
        ok
    }

    /// Whether `inst` equals one of `values`, every value compared counted against maxSteps
    /// (a large enum of large objects is not free); `None` when they run out.
    fn equal_any(&mut self, values: &[Value], inst: &Value) -> Option<bool> {
        let compare = |budget: &mut u64| -> Result<bool, ()> {
            for v in values {
                if equal_counted(v, inst, budget)? {
                    return Ok(true);
                }
            }
            Ok(false)
        };
        self.budgeted(1, compare, || format!("enum of {} values is too costly", values.len()))
    }

    /// Whether `re` matches `s`, its thread steps counted against maxSteps; false (and the
    /// validation stopped) when they run out.
    fn matches(&mut self, re: &Pattern, s: &str) -> bool {
        if self.aborted {
            return false;
        }
        let found = self.budgeted(
            REGEX_UNITS_PER_STEP,
            |budget| re.regex.is_match_within(s, budget),
            || format!("pattern \"{}\" is too costly for a string of {} characters", re.source, s.chars().count()),
        );
        found.unwrap_or(false)
    }

    /// Runs `work` with what is left of maxSteps, `units` of its budget to a step, and charges
    /// what it spent; `None` (and the validation stopped, saying `why`) when it runs out.
    fn budgeted<T, E>(
        &mut self,
        units: u64,
        work: impl FnOnce(&mut u64) -> Result<T, E>,
        why: impl FnOnce() -> String,
    ) -> Option<T> {
        let left = self.opts.max_steps.saturating_sub(self.steps).saturating_mul(units);
        let mut budget = left;
        let result = work(&mut budget);
        self.steps = self.steps.saturating_add((left - budget).div_ceil(units));
        match result {
            Ok(done) => Some(done),
            Err(_) => {
                self.abort("maxSteps", format!("validation stopped after {} steps: {}", self.opts.max_steps, why()));
                None
            }
        }
    }
}

/// The length an error's message and params' strings are cut to when the error alone is larger
/// than `max_error_bytes`.
const ERROR_STRING_CUT: usize = 1024;

fn cut(s: &mut String) {
    if s.len() > ERROR_STRING_CUT {
        let mut end = ERROR_STRING_CUT;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push('…');
    }
}

/// How much of the schema's values (`enum`, `const`) one error copies, roughly in bytes of JSON.
const ERROR_VALUE_BYTES: usize = 1024;

/// Whether `v` fits in `room` (about its size in JSON), which it takes from; stops early.
fn fits(v: &Value, room: &mut usize) -> bool {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        let size = match v {
            Value::String(s) => s.len() + 2,
            Value::Array(a) => {
                stack.extend(a.iter());
                2
            }
            Value::Object(m) => {
                for (k, v) in m.iter() {
                    *room = room.saturating_sub(k.len() + 3);
                    stack.push(v);
                }
                2
            }
            _ => 8,
        };
        match room.checked_sub(size) {
            Some(left) if left > 0 || stack.is_empty() => *room = left,
            _ => return false,
        }
    }
    true
}

/// The error that ends a list cut at `max`.
pub(crate) fn too_many_errors(max: usize) -> ValidationError {
    ValidationError {
        instance_path: String::new(),
        schema_path: "#".into(),
        keyword: "maxErrors".into(),
        params: json!({ "limit": max }),
        message: format!("more errors were found than are reported (maxErrors {max}, or maxErrorBytes)"),
    }
}

/// Thread steps of the regular-expression engine that cost one validation step.
const REGEX_UNITS_PER_STEP: u64 = 8;

/// The ajv-shaped params and message of a failed [`Ctx::assertion`].
fn failure(kw: &Kw) -> (Value, String) {
    match kw {
        Kw::Type(bits) => {
            #[cfg(feature = "python-re")]
            let bits = &(bits | (bits >> 1 & super::json::INTEGER));
            let names: Vec<&str> =
                TYPE_NAMES.iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0).map(|(_, n)| *n).collect();
            let names = crate::text::join(&names, ",");
            (json!({ "type": names }), format!("must be {names}"))
        }
        Kw::Enum(values) => {
            // An error copies at most ERROR_VALUE_BYTES of the enum (a 500-value enum copied into
            // each error made a 63 KB conf cost 540 MB); `omitted` counts the values left out.
            let mut room = ERROR_VALUE_BYTES;
            let shown: Vec<Value> = values.iter().take_while(|v| fits(v, &mut room)).cloned().collect();
            let omitted = values.len() - shown.len();
            let params = if omitted == 0 {
                json!({ "allowedValues": shown })
            } else {
                json!({ "allowedValues": shown, "omitted": omitted })
            };
            (params, "must be equal to one of the allowed values".into())
        }
        Kw::Const(v) => {
            let params = if fits(v, &mut ERROR_VALUE_BYTES.clone()) {
                json!({ "allowedValue": v })
            } else {
                json!({ "omitted": 1 })
            };
            (params, "must be equal to constant".into())
        }
        Kw::MultipleOf(m) => (json!({ "multipleOf": m }), format!("must be multiple of {m}")),
        Kw::Maximum(m) | Kw::ExclusiveMaximum(m) | Kw::Minimum(m) | Kw::ExclusiveMinimum(m) => {
            let cmp = match kw {
                Kw::Maximum(_) => "<=",
                Kw::ExclusiveMaximum(_) => "<",
                Kw::Minimum(_) => ">=",
                _ => ">",
            };
            (json!({ "comparison": cmp, "limit": m }), format!("must be {cmp} {m}"))
        }
        Kw::MaxLength(n) | Kw::MinLength(n) => {
            let side = if matches!(kw, Kw::MaxLength(_)) { "more" } else { "fewer" };
            (json!({ "limit": n }), format!("must NOT have {side} than {n} characters"))
        }
        Kw::Pattern(p) => (json!({ "pattern": p.source }), format!("must match pattern \"{}\"", p.source)),
        Kw::Format(f) => (json!({ "format": f }), format!("must match format \"{f}\"")),
        _ => (json!({}), String::new()),
    }
}

impl super::compile::Node {
    fn kws(&self) -> &[Kw] {
        match &self.kind {
            NodeKind::Keywords(k) => k,
            NodeKind::Bool(_) => &[],
        }
    }
}

/// Why a `$dynamicRef` or `$recursiveRef` stops where its dynamic scope holds a base URI that
/// no resource has (an id where Python's registry does not look).
#[cfg(feature = "python-re")]
const UNRESOLVABLE_SCOPE: &str =
    "a $dynamicRef or $recursiveRef looks in a dynamic scope holding a base URI no resource has: python-jsonschema raises here, so Airflow refuses the run";
