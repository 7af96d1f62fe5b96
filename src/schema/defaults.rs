//! ajv's `useDefaults`: before validation, a missing property or tuple item whose schema has a
//! `default` gets it. Only the applicators that always apply are followed (`properties`,
//! `prefixItems`, `items`, `allOf`, `$ref`, `$dynamicRef`'s static target): ajv, too, ignores
//! defaults under `anyOf`, `oneOf`, `not` and conditionals, where whether a branch applies
//! depends on the value.

use super::compile::{Compiled, Kw, NodeId, NodeKind};
use super::uri::escape_token;
use crate::json::Value;

pub(crate) struct Walk<'a> {
    pub(crate) c: &'a Compiled,
    /// Schemas still to visit (`maxSteps`): `allOf` and `$ref` can fan out exponentially.
    pub(crate) steps: u64,
    /// Bytes of JSON the defaults may still add (`maxInputBytes` less the instance's): a
    /// recursive schema's defaults can grow a value without end. Past it, `over` and nothing more.
    pub(crate) bytes: usize,
    pub(crate) over: bool,
    /// What was filled in: the instance path, and the value.
    pub(crate) out: &'a mut Vec<(String, Value)>,
}

impl Walk<'_> {
    /// Fills the defaults `id` gives below `value` (at `path`), `depth` levels at most: a `$ref`
    /// loop that consumes nothing ends there.
    pub(crate) fn node(&mut self, id: NodeId, value: &mut Value, path: &mut String, depth: usize) {
        if depth == 0 || self.steps == 0 || self.over {
            return;
        }
        self.steps -= 1;
        let NodeKind::Keywords(kws) = &self.c.nodes[id].kind else { return };
        let prefix = kws.iter().find_map(|k| if let Kw::PrefixItems(ids) = k { Some(ids.len()) } else { None });
        for kw in kws {
            match (kw, &mut *value) {
                (Kw::Ref(t) | Kw::DynamicRef(t, _), v) => self.node(*t, v, path, depth - 1),
                (Kw::AllOf(ids), v) => {
                    for &t in ids {
                        self.node(t, v, path, depth - 1);
                    }
                }
                (Kw::Properties(props), Value::Object(obj)) => {
                    for (key, s) in props {
                        let len = path.len();
                        path.push('/');
                        path.push_str(&escape_token(key));
                        if !obj.contains_key(key) {
                            if let Some((d, len)) = &self.c.nodes[*s].default {
                                // The value, its key, and the path reported for it.
                                if !self.spend(len + key.len() + 4 + path.len()) {
                                    return;
                                }
                                obj.insert(key.clone(), d.clone());
                                self.out.push((path.clone(), d.clone()));
                            }
                        }
                        if let Some(v) = obj.get_mut(key) {
                            self.node(*s, v, path, depth - 1);
                        }
                        path.truncate(len);
                    }
                }
                (Kw::PrefixItems(ids), Value::Array(items)) => {
                    for (i, s) in ids.iter().enumerate() {
                        let len = path.len();
                        path.push_str(&format!("/{i}"));
                        // Only at the end: JSON has no holes, so a default after a missing item waits.
                        if i == items.len() {
                            if let Some((d, len)) = &self.c.nodes[*s].default {
                                if !self.spend(len + 1 + path.len()) {
                                    return;
                                }
                                items.push(d.clone());
                                self.out.push((path.clone(), d.clone()));
                            }
                        }
                        if let Some(v) = items.get_mut(i) {
                            self.node(*s, v, path, depth - 1);
                        }
                        path.truncate(len);
                    }
                }
                (Kw::Items(s), Value::Array(items)) => {
                    for (i, v) in items.iter_mut().enumerate().skip(prefix.unwrap_or(0)) {
                        let len = path.len();
                        path.push_str(&format!("/{i}"));
                        self.node(*s, v, path, depth - 1);
                        path.truncate(len);
                    }
                }
                _ => {}
            }
        }
    }

    /// Takes `n` bytes from the budget, or marks the walk over it.
    fn spend(&mut self, n: usize) -> bool {
        match self.bytes.checked_sub(n) {
            Some(left) => {
                self.bytes = left;
                true
            }
            None => {
                self.over = true;
                false
            }
        }
    }
}
