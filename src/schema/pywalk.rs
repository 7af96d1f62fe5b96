//! python-jsonschema's walk for `unevaluatedProperties` and `unevaluatedItems` (the Airflow
//! modes): `find_evaluated_property_keys_by_schema` and `find_evaluated_item_indexes_by_schema`,
//! 2020-12's (`_utils`) and 2019-09's (`_legacy_keywords`). It reads keyword names in the raw
//! schema whatever a subschema's draft, resolves `$ref`s with the resolver it started with (a
//! subschema's `$id` does not move it; a `$ref` does), and checks subschemas with the validator
//! class it holds. Compiled once per (location, resolver base, class) into steps that
//! validate.rs runs.

use super::{escape_token, python_draft, python_id, Compiler, Draft, Loc, NodeId, Value, RECURSIVE};
use crate::json::Map;

pub(crate) type WalkId = usize;

/// What a lookup pushes onto the dynamic scope: the resource of the base URI it starts from
/// (as `Node::scope`), and whether it asks for that very URI (no push onto a scope with one).
pub(crate) type Push = Option<(usize, bool)>;

/// One walk: the steps of one schema, and the resource it is in (for the dynamic scope).
pub(crate) struct Walk {
    pub(crate) resource: usize,
    pub(crate) steps: Vec<Step>,
}

pub(crate) enum Step {
    /// A `$ref` (or 2020-12's `$dynamicRef` to a plain target): walk its target, the lookup
    /// pushing the walk's base URI onto the dynamic scope ([`Push`]).
    Walk(WalkId, Push),
    /// 2019-09's `$recursiveRef` (no push), or a lookup of a `$dynamicAnchor` (a push): the
    /// static target, its anchor, and the walks of each target the dynamic scope may pick.
    Dynamic(NodeId, Option<String>, Vec<(NodeId, WalkId)>, Push),
    /// Python raises here (for an instance with members only, if the flag says so).
    Raise(String, bool),
    AllKeys,
    Names(Vec<String>),
    /// Keys whose value the node (a `descend`) accepts.
    ValidValues(NodeId),
    Patterns(Vec<super::Pattern>),
    Dependent(Vec<(String, WalkId)>),
    /// `allOf`/`oneOf`/`anyOf`: each subschema the instance passes is walked.
    Group(Vec<(NodeId, WalkId)>),
    If(NodeId, WalkId, Option<WalkId>, Option<WalkId>),
    AllItems,
    FirstItems(usize),
    ValidItems(NodeId),
}

/// `len()` of a JSON value as Python takes it; None where it raises.
fn py_len(v: &Value) -> Option<usize> {
    match v {
        Value::Array(a) => Some(a.len()),
        Value::String(s) => Some(s.chars().count()),
        Value::Object(m) => Some(m.len()),
        _ => None,
    }
}

impl<'a> Compiler<'a> {
    /// The walk of the schema at `loc` by a validator of class `cls` whose resolver's base is
    /// `r`; `modern`: 2020-12's functions (else 2019-09's); `items`: the items walk.
    pub(super) fn walk_for(
        &mut self,
        loc: Loc,
        r: &str,
        cls: Draft,
        modern: bool,
        items: bool,
    ) -> Result<WalkId, String> {
        let key = format!("{}\u{0}{}\u{0}{r}\u{0}{cls:?}{modern}{items}", loc.0, loc.1);
        if let Some(&id) = self.walk_memo.get(&key) {
            return Ok(id);
        }
        let id = self.walks.len();
        let resource = self.nearest_info(&(loc.0, format!("{}/x", loc.1))).resource;
        self.walks.push(Walk { resource, steps: Vec::new() });
        self.walk_memo.insert(key, id);
        let value = self.value_at(&loc).ok_or_else(|| format!("nothing at {}", self.describe(&loc)))?;
        let steps = match value {
            Value::Bool(_) => Vec::new(),
            Value::Object(obj) => self.walk_steps(obj, &loc, r, cls, modern, items)?,
            // (`"items" in schema` before `schema.get`: a string or list naming it.)
            Value::String(s) if items && modern && s.contains("items") => vec![Step::AllItems],
            Value::Array(a) if items && modern && a.iter().any(|x| x.as_str() == Some("items")) => vec![Step::AllItems],
            other => {
                vec![Step::Raise(format!("the schema at {} is not a schema ({other})", self.describe(&loc)), false)]
            }
        };
        self.walks[id].steps = steps;
        Ok(id)
    }

    fn walk_steps(
        &mut self,
        obj: &'a Map,
        loc: &Loc,
        r: &str,
        cls: Draft,
        modern: bool,
        items: bool,
    ) -> Result<Vec<Step>, String> {
        let at = |key: &str| (loc.0, format!("{}/{}", loc.1, escape_token(key)));
        let mut steps = Vec::new();
        if items && modern && obj.contains_key("items") {
            return Ok(vec![Step::AllItems]);
        }
        let refs: &[&str] = if modern { &["$ref", "$dynamicRef"] } else { &["$ref"] };
        for key in refs {
            match obj.get(key) {
                None | Some(Value::Null) => {}
                Some(Value::String(reference)) => match self.walk_ref(r, reference, cls, modern, items) {
                    Ok(step) => steps.push(step),
                    Err(why) => steps.push(Step::Raise(why, false)),
                },
                Some(other) => steps.push(Step::Raise(format!("{key}: {other} is not a string"), false)),
            }
        }
        if !modern && obj.contains_key("$recursiveRef") {
            steps.push(self.walk_recursive(r, cls, items)?);
        }
        if items {
            if modern {
                if let Some(p) = obj.get("prefixItems") {
                    steps.push(match py_len(p) {
                        Some(n) => Step::FirstItems(n),
                        None => Step::Raise(format!("prefixItems: len() of {p}"), false),
                    });
                }
            } else if let Some(it) = obj.get("items") {
                // (An object `items`, or one beside `additionalItems`, ends the walk: every index.)
                if obj.contains_key("additionalItems") || it.is_object() {
                    steps.push(Step::AllItems);
                    return Ok(steps);
                }
                steps.push(match py_len(it) {
                    Some(n) => Step::FirstItems(n),
                    None => Step::Raise(format!("items: len() of {it}"), false),
                });
            }
        } else if modern {
            if let Some(Value::Object(p)) = obj.get("properties") {
                steps.push(Step::Names(p.keys().cloned().collect()));
            }
            for key in ["additionalProperties", "unevaluatedProperties"] {
                if obj.get(key).is_some_and(|v| !v.is_null()) {
                    steps.push(Step::ValidValues(self.walk_descend(&at(key), r, cls)?));
                }
            }
        } else {
            for key in ["properties", "additionalProperties", "unevaluatedProperties"] {
                match obj.get(key) {
                    Some(Value::Bool(true)) => steps.push(Step::AllKeys),
                    Some(Value::Object(m)) => steps.push(Step::Names(m.keys().cloned().collect())),
                    _ => {}
                }
            }
        }
        if !items {
            match obj.get("patternProperties") {
                None => {}
                Some(Value::Object(pp)) => {
                    let mut res = Vec::new();
                    for k in pp.keys() {
                        match (self.regex)(k) {
                            Ok(re) => res.push(re),
                            Err(e) => {
                                steps.push(Step::Raise(format!("patternProperties: {k:?}: {e}"), true));
                                break;
                            }
                        }
                    }
                    steps.push(Step::Patterns(res));
                }
                Some(v) if py_len(v) == Some(0) => {}
                Some(v) => steps.push(Step::Raise(format!("patternProperties: {v} holds no patterns"), true)),
            }
            match obj.get("dependentSchemas") {
                None => {}
                Some(Value::Object(deps)) => {
                    let mut list = Vec::new();
                    for k in deps.keys() {
                        let sub = (loc.0, format!("{}/dependentSchemas/{}", loc.1, escape_token(k)));
                        list.push((k.clone(), self.walk_for(sub, r, cls, modern, items)?));
                    }
                    steps.push(Step::Dependent(list));
                }
                Some(v) => steps.push(Step::Raise(format!("dependentSchemas: {v} has no items()"), false)),
            }
        }
        let groups: &[&str] = &["allOf", "oneOf", "anyOf"];
        let order: Vec<&str> = if items { vec!["if", "uneval", "groups"] } else { vec!["groups", "if"] };
        for part in order {
            match part {
                "groups" => {
                    for key in groups {
                        match obj.get(key) {
                            None => {}
                            Some(Value::Array(list)) => {
                                let mut g = Vec::new();
                                for i in 0..list.len() {
                                    let sub = (loc.0, format!("{}/{key}/{i}", loc.1));
                                    g.push((
                                        self.walk_descend(&sub, r, cls)?,
                                        self.walk_for(sub, r, cls, modern, items)?,
                                    ));
                                }
                                steps.push(Step::Group(g));
                            }
                            Some(v) if py_len(v) == Some(0) => {}
                            Some(v) => steps.push(Step::Raise(format!("{key}: {v} is no list of schemas"), false)),
                        }
                    }
                }
                "if" => {
                    if obj.contains_key("if") {
                        let test = self.walk_evolve(&at("if"), r, cls)?;
                        let walk = self.walk_for(at("if"), r, cls, modern, items)?;
                        let then = match obj.contains_key("then") {
                            true => Some(self.walk_for(at("then"), r, cls, modern, items)?),
                            false => None,
                        };
                        let els = match obj.contains_key("else") {
                            true => Some(self.walk_for(at("else"), r, cls, modern, items)?),
                            false => None,
                        };
                        steps.push(Step::If(test, walk, then, els));
                    }
                }
                _ => {
                    for key in ["contains", "unevaluatedItems"] {
                        if obj.contains_key(key) {
                            steps.push(Step::ValidItems(self.walk_evolve(&at(key), r, cls)?));
                        }
                    }
                }
            }
        }
        Ok(steps)
    }

    /// `validator._resolver.lookup(reference)`, then the walk of what it found with the
    /// resolver it found it with, by the class its `$schema` names (else `cls`).
    /// A lookup of a `$dynamicAnchor`'s name is resolved in the dynamic scope
    /// (`DynamicAnchor.resolve`): each dynamic anchor of that name may win, handed the looked-up
    /// URI joined with its own id.
    fn walk_ref(&mut self, r: &str, reference: &str, cls: Draft, modern: bool, items: bool) -> Result<Step, String> {
        if let Some(why) = self.crawl_raises(r, reference) {
            return Err(why);
        }
        let target = self.reference_loc(r, reference)?;
        let value = self.value_at(&target).ok_or_else(|| format!("nothing at {}", self.describe(&target)))?;
        let cls = python_draft(value, cls)?;
        let node = self.node_for(target.clone(), Some(cls), true)?;
        let push = Some((self.scope_of(r), self.looks_up_base(r, reference)));
        let base = match self.lookup_base(r, reference, &target) {
            Some(base) => base,
            None => self.info.get(&target).map(|i| i.base.clone()).unwrap_or_else(|| r.to_owned()),
        };
        let first = self.walk_for(target.clone(), &base, cls, modern, items)?;
        let Some(anchor) = self.dynamic_anchor_of(node, reference) else { return Ok(Step::Walk(first, push)) };
        self.uses_dynamic = true;
        let Ok(Some((uri, _))) = self.python_parts(r, reference) else { return Ok(Step::Walk(first, push)) };
        let mut cands = vec![(node, first)];
        for l in self.dynamic_anchor_locs(&anchor) {
            let n = self.node_for(l.clone(), None, false)?;
            let Some(v) = self.value_at(&l) else { continue };
            let c = python_draft(v, cls)?;
            let d = self.info.get(&l).map_or(c, |i| i.draft);
            let Some(base) = super::winner_base(&uri, d, v) else { continue };
            cands.push((n, self.walk_for(l, &base, c, modern, items)?));
        }
        Ok(Step::Dynamic(node, Some(anchor), cands, push))
    }

    /// 2019-09's `lookup_recursive_ref`: `#` from the resolver, and where it has
    /// `$recursiveAnchor`, whichever the dynamic scope picks.
    fn walk_recursive(&mut self, r: &str, cls: Draft, items: bool) -> Result<Step, String> {
        if let Some(why) = self.crawl_raises(r, "#") {
            return Ok(Step::Raise(why, false));
        }
        let target = match self.reference_loc(r, "#") {
            Ok(t) => t,
            Err(why) => return Ok(Step::Raise(why, false)),
        };
        let node = self.reference(r, "#", cls)?;
        let anchor = self.recursive_anchor(node);
        let mut cands = Vec::new();
        let mut locs = vec![target];
        if anchor.is_some() {
            locs.extend(self.dynamic_anchor_locs(RECURSIVE));
        }
        for l in locs {
            let value = self.value_at(&l).ok_or_else(|| format!("nothing at {}", self.describe(&l)))?;
            let c = python_draft(value, cls)?;
            let n = if cands.is_empty() { node } else { self.node_for(l.clone(), None, false)? };
            let base = self.info.get(&l).map(|i| i.base.clone()).unwrap_or_else(|| r.to_owned());
            cands.push((n, self.walk_for(l, &base, c, false, items)?));
        }
        Ok(Step::Dynamic(node, anchor, cands, None))
    }

    /// The node for `validator.descend(instance, subschema)`: its resolver moved by the
    /// subschema's id (by `cls`'s rule), its class the one its `$schema` names (else `cls`).
    fn walk_descend(&mut self, loc: &Loc, r: &str, cls: Draft) -> Result<NodeId, String> {
        let value = self.value_at(loc).ok_or_else(|| format!("nothing at {}", self.describe(loc)))?;
        let id = value.as_object().and_then(|obj| python_id(obj, cls));
        let expected = match id {
            Some(id) => self.join(r, id)?,
            None => r.to_owned(),
        };
        self.walk_node(loc, r, expected, cls, true)
    }

    /// The node for `validator.evolve(schema=subschema).is_valid(…)`: the resolver as it is.
    fn walk_evolve(&mut self, loc: &Loc, r: &str, cls: Draft) -> Result<NodeId, String> {
        self.walk_node(loc, r, r.to_owned(), cls, false)
    }

    /// The subschema's node as the scan compiled it where its base URI is `expected`; else the
    /// subschema scanned again, as a document of its own, reached from `r`.
    fn walk_node(&mut self, loc: &Loc, r: &str, expected: String, cls: Draft, descend: bool) -> Result<NodeId, String> {
        let node = self.node_for(loc.clone(), Some(cls), descend)?;
        if self.info.get(loc).is_some_and(|i| i.base == expected) {
            return Ok(node);
        }
        self.rebased(loc, r.to_owned(), cls, descend, descend)
    }
}
