// The benchmark's Params (realistic: every common type, formats, a pattern) and a conf for them.
export const PARAMS = {
  day: { value: "2024-01-01", schema: { type: "string", format: "date" }, description: null },
  count: { value: 5, schema: { type: "integer", minimum: 1, maximum: 1000 }, description: null },
  mode: { value: "safe", schema: { type: "string", enum: ["fast", "safe", "dry-run"] }, description: null },
  notify: { value: true, schema: { type: "boolean" }, description: null },
  emails: { value: ["a@example.com"], schema: { type: "array", items: { type: "string", format: "email" }, maxItems: 10 }, description: null },
  options: { value: { retries: 2 }, schema: { type: "object", properties: { retries: { type: "integer", minimum: 0 } } }, description: null },
  label: { value: null, schema: { type: ["null", "string"], maxLength: 80 }, description: null },
  code: { value: "ABC-1234", schema: { type: "string", pattern: "^[A-Z]{3}-[0-9]{4}$" }, description: null },
  ratio: { value: 0.5, schema: { type: "number", exclusiveMinimum: 0, maximum: 1 }, description: null },
  owner: { value: "data-eng", schema: { type: "string", minLength: 1 }, description: null },
};
export const CONF = { day: "2024-02-01", count: 7, mode: "fast", emails: ["a@example.com", "b@example.org"], code: "XYZ-0001", owner: "bench" };
