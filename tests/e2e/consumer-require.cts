// Compiled by package.test.mjs with `tsc --strict --noEmit` (module nodenext): a CommonJS
// consumer reads node.d.cts; never run.
import at = require("../../pkg/node.cjs");

interface EtlConf {
  day: string;
}
const conf: EtlConf = { day: "2024-01-01" };
const input: unknown = JSON.parse("{}");

const request: at.HttpRequest = at.buildTriggerRequest({ baseUrl: "http://h", apiVersion: "v2", dagId: "etl", conf });
const checked: at.ValidationResult = new at.ConfValidator({ type: "object" }).validate(input);
const params = new at.ParamsValidator<EtlConf>({ day: { value: "2024-01-01", schema: { type: "string" } } });
const result = params.validate(input);
const day: string | undefined = result.valid ? result.conf.day : undefined;
for (const e of checked.errors) if (e.keyword === "required") void e.params.missingProperty;
params[Symbol.dispose]();
void [request, day];

function onError(e: unknown): string | undefined {
  return e instanceof at.AirflowError ? e.code : undefined;
}
void onError;
