// A trigger form generated from a DAG's Params (the schema of `paramsToSchema`), as Airflow's own
// trigger form understands them: types (with null), enum with values_display, examples,
// formats date / date-time / time / multiline, limits, sections, const (hidden), titles,
// descriptions and description_md (safe Markdown), and a JSON editor for arrays and objects.
import { renderMarkdown } from "./markdown.js";

let uid = 0;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  node.append(...children);
  return node;
}

function types(s) {
  const t = s.type ?? (s.enum ? [...new Set(s.enum.map((v) => (v === null ? "null" : typeof v)))] : undefined);
  return Array.isArray(t) ? t : t ? [t] : [];
}

/** How one Param is edited: the kind of control, and how its text becomes a value. */
function kindOf(s) {
  const t = types(s).filter((x) => x !== "null");
  if ("const" in s) return "const";
  if (Array.isArray(s.enum)) return "enum";
  if (t.length === 1 && t[0] === "boolean") return "boolean";
  if (t.length === 1 && (t[0] === "integer" || t[0] === "number")) return "number";
  if (t.length === 1 && t[0] === "string") {
    if (s.format === "multiline") return "multiline";
    if (s.format === "date" || s.format === "time" || s.format === "date-time") return s.format;
    return "string";
  }
  return "json";
}

/** `datetime-local` shows local wall time; Airflow wants an ISO date-time with an offset. */
function toLocalInput(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * Renders `schema` (from paramsToSchema) into `container`. `onChange(conf)` runs on every edit.
 * Returns { getConf, setConf, showErrors(errors), focusFirstError }.
 */
export function renderParamsForm(container, schema, { onChange = () => {}, idPrefix = "p" } = {}) {
  container.replaceChildren();
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const fields = new Map();
  const sections = new Map();
  const prefix = `${idPrefix}${++uid}`;

  for (const [name, s] of Object.entries(props)) {
    const kind = kindOf(s);
    const id = `${prefix}-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
    const nullable = types(s).includes("null");
    const errorId = `${id}-error`;
    const descId = `${id}-desc`;
    let control;
    let examples = null; // a <datalist> of suggestions
    let read;
    let write;

    if (kind === "const") {
      // Fixed by the DAG: not editable, not shown; sent as is.
      fields.set(name, { read: () => s.const, write: () => {}, error: null, control: null });
      continue;
    }
    const common = { id, name, "aria-describedby": `${descId} ${errorId}`, "aria-invalid": "false" };
    switch (kind) {
      case "enum": {
        control = el("select", common);
        if (nullable || !required.has(name)) control.append(el("option", { value: "", text: "—" }));
        s.enum.forEach((v, i) => {
          // Own keys only: an enum value "constructor" must not be labelled with Object's function.
          const shown = s.values_display && Object.hasOwn(s.values_display, String(v)) ? s.values_display[String(v)] : undefined;
          const label = typeof shown === "string" ? shown : v === null ? "null" : String(v);
          control.append(el("option", { value: String(i), text: label }));
        });
        read = () => (control.value === "" ? (nullable ? null : undefined) : s.enum[Number(control.value)]);
        write = (v) => {
          const i = s.enum.findIndex((x) => JSON.stringify(x) === JSON.stringify(v));
          control.value = i < 0 ? "" : String(i);
        };
        break;
      }
      case "boolean":
        control = el("input", { ...common, type: "checkbox" });
        read = () => control.checked;
        write = (v) => { control.checked = v === true; };
        break;
      case "number": {
        const integer = types(s).includes("integer");
        control = el("input", {
          ...common, type: "number", inputmode: integer ? "numeric" : "decimal",
          min: s.minimum ?? s.exclusiveMinimum, max: s.maximum ?? s.exclusiveMaximum, step: integer ? 1 : "any",
        });
        read = () => (control.value === "" ? (nullable ? null : undefined) : Number(control.value));
        write = (v) => { control.value = typeof v === "number" ? String(v) : ""; };
        break;
      }
      case "multiline":
        control = el("textarea", { ...common, rows: 4, minlength: s.minLength, maxlength: s.maxLength });
        read = () => (control.value === "" && nullable ? null : control.value);
        write = (v) => { control.value = typeof v === "string" ? v : ""; };
        break;
      case "date":
      case "time":
        control = el("input", { ...common, type: kind, step: kind === "time" ? 1 : undefined });
        read = () => (control.value === "" ? (nullable ? null : undefined) : kind === "time" && control.value.length === 5 ? `${control.value}:00` : control.value);
        write = (v) => { control.value = typeof v === "string" ? v : ""; };
        break;
      case "date-time":
        control = el("input", { ...common, type: "datetime-local", step: 1 });
        read = () => (control.value === "" ? (nullable ? null : undefined) : new Date(control.value).toISOString().replace(/\.\d{3}Z$/, "+00:00"));
        write = (v) => { control.value = typeof v === "string" ? toLocalInput(v) : ""; };
        break;
      case "string": {
        control = el("input", { ...common, type: "text", minlength: s.minLength, maxlength: s.maxLength, autocomplete: "off" });
        if (Array.isArray(s.examples) && s.examples.length) {
          const listId = `${id}-examples`;
          control.setAttribute("list", listId);
          const list = el("datalist", { id: listId });
          for (const ex of s.examples) list.append(el("option", { value: String(ex) }));
          examples = list;
        }
        read = () => (control.value === "" && nullable ? null : control.value);
        write = (v) => { control.value = typeof v === "string" ? v : ""; };
        break;
      }
      default: {
        // Arrays, objects and mixed types: a JSON editor, checked as you type.
        control = el("textarea", { ...common, rows: 4, spellcheck: "false", class: "json" });
        read = () => {
          if (control.value.trim() === "") return nullable ? null : undefined;
          try {
            return JSON.parse(control.value);
          } catch {
            return { __invalidJson: control.value };
          }
        };
        write = (v) => { control.value = v === undefined ? "" : JSON.stringify(v, null, 2); };
      }
    }

    const label = el("label", { for: id, text: s.title ?? name });
    if (required.has(name)) label.append(el("span", { class: "req", "aria-hidden": "true", text: " *" }));
    const desc = el("div", { id: descId, class: "desc" });
    if (typeof s.description_md === "string") desc.append(renderMarkdown(s.description_md));
    else if (typeof s.description === "string") desc.textContent = s.description;
    const error = el("div", { id: errorId, class: "error", role: "alert" });
    const wrapper = el("div", { class: `field field-${kind}` }, label, control);
    if (examples) wrapper.append(examples);
    wrapper.append(desc, error);
    if (required.has(name)) control.setAttribute("aria-required", "true");

    const sectionName = typeof s.section === "string" && s.section ? s.section : "";
    if (!sections.has(sectionName)) {
      const fs = sectionName ? el("fieldset", {}, el("legend", { text: sectionName })) : el("div", { class: "fields" });
      sections.set(sectionName, fs);
    }
    sections.get(sectionName).append(wrapper);
    if ("default" in s) write(s.default);
    control.addEventListener("input", () => onChange(getConf()));
    control.addEventListener("change", () => onChange(getConf()));
    fields.set(name, { read, write, error, control });
  }
  // Sections after the ungrouped fields, in order of appearance.
  const loose = sections.get("");
  if (loose) container.append(loose);
  for (const [name, node] of sections) if (name) container.append(node);

  function getConf() {
    const conf = {};
    for (const [name, f] of fields) {
      const v = f.read();
      if (v !== undefined) conf[name] = v;
    }
    return conf;
  }

  function setConf(conf) {
    for (const [name, f] of fields) if (name in conf) f.write(conf[name]);
  }

  function showErrors(errors) {
    const byField = new Map();
    for (const e of errors ?? []) {
      // A JSON Pointer token: ~1 and ~0 are its only escapes (no percent-encoding: "a%b" is a key).
      const name = ((e.instancePath ?? "").split("/")[1] ?? "").replace(/~1/g, "/").replace(/~0/g, "~");
      const key = fields.has(name) ? name : (e.params?.missingProperty ?? "");
      if (!byField.has(key)) byField.set(key, []);
      byField.get(key).push(e.message);
    }
    for (const [name, f] of fields) {
      if (!f.error) continue;
      const messages = byField.get(name) ?? [];
      const json = f.control?.classList.contains("json") && f.read()?.__invalidJson !== undefined;
      f.error.textContent = json ? "not valid JSON" : messages.join("; ");
      f.control.setAttribute("aria-invalid", messages.length || json ? "true" : "false");
    }
    return byField;
  }

  function focusFirstError() {
    for (const f of fields.values()) {
      if (f.control?.getAttribute("aria-invalid") === "true") {
        f.control.focus();
        return true;
      }
    }
    return false;
  }

  return { getConf, setConf, showErrors, focusFirstError };
}
