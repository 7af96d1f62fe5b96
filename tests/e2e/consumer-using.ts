// Compiled by package.test.mjs with `tsc --strict --noEmit --lib esnext,dom` (a `using`
// declaration needs TypeScript's lib.esnext.disposable, or @types/node); never run.
import { AirflowClient, ConfValidator, ParamsValidator } from "../../pkg/node.js";

interface EtlConf {
  day: string;
}

export function validateOnce(input: unknown): boolean {
  using v = new ConfValidator({ type: "object", required: ["day"] });
  return v.validate(input).valid;
}

export function defaults(input: unknown): EtlConf | undefined {
  using v = new ParamsValidator<EtlConf>({ day: { value: "2024-01-01", schema: { type: "string" } } });
  const result = v.validate(input);
  return result.valid ? result.conf : undefined;
}

export async function triggerOnce(conf: EtlConf): Promise<string> {
  using airflow = new AirflowClient({ baseUrl: "http://h" });
  const run = await airflow.trigger("etl", { conf });
  return run.dagRunId;
}

const disposable: Disposable = new ConfValidator(true);
void disposable;
