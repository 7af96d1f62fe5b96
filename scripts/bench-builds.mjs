// `make bench-builds`: what the compiler's settings trade between #7's goals. The package is
// built with each setting in a copy of the sources, and each build is measured on the same
// machine in one run: its size (wasm + JS glue, gzip -9, as `make bench`), its Node cold start
// (median of 11 fresh processes a round) and its validation speed on the small and medium workloads
// against @cfworker/json-schema in the same process. Writes BENCH-BUILDS.md; never fails on a
// slow machine, only when a build fails or the validators disagree on a verdict.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { coldStartNode, kb, median, rates, workloads } from "./bench/workloads.mjs";
import { payload } from "./payload.mjs";

const root = new URL("../", import.meta.url).pathname;
const GOAL_X = 3;
const ROUNDS = 3;

// ---- In a child process: one build's validation speed (µs per call) and @cfworker's ---------
if (process.argv[2] === "--measure") {
  const { ConfValidator } = await import(join(process.argv[3], "node.js"));
  const { Validator } = await import("@cfworker/json-schema");
  const out = {};
  for (const [name, schema, good, bad] of workloads.slice(0, 2)) {
    const ours = new ConfValidator(schema, { formats: "all" });
    const cf = new Validator(schema, "2020-12", false);
    for (const [variant, instance] of [["valid", good], ["invalid", bad]]) {
      const verdicts = [ours.validate(instance).valid, cf.validate(instance).valid];
      if (verdicts.some((v) => v !== (variant === "valid"))) throw new Error(`${name} ${variant}: verdicts disagree ${verdicts}`);
      const [o, c] = rates([() => ours.validate(instance), () => cf.validate(instance)], 100);
      out[`${name.split(" ")[0]} ${variant}`] = [1e6 / o, 1e6 / c];
    }
    ours.free();
  }
  console.log(JSON.stringify(out));
  process.exit(0);
}

const builds = [
  ["opt-level \"z\" (shipped)", {}],
  ["\"z\", inline threshold 25", { RUSTFLAGS: "-C llvm-args=-inline-threshold=25" }],
  ["\"z\", inline threshold 75", { RUSTFLAGS: "-C llvm-args=-inline-threshold=75" }],
  ["opt-level \"s\"", { CARGO_PROFILE_RELEASE_OPT_LEVEL: "s" }],
  ["opt-level 3", { CARGO_PROFILE_RELEASE_OPT_LEVEL: "3" }],
];

function payloadGzip(pkg) {
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  const { wasm, glue } = payload(pkg);
  return gz(wasm) + gz(glue);
}

mkdirSync(join(root, ".out"), { recursive: true });
const copy = mkdtempSync(join(root, ".out", "bench-builds-"));
const rows = [];
try {
  // The tracked sources (mtimes kept, so install-tools.sh sees the same lockfile age), with the
  // project's tools linked in.
  execFileSync("bash", ["-c", `git ls-files -z | tar --null -cf - -T - | tar -xf - -C '${copy}'`], { cwd: root });
  for (const dir of ["node_modules", ".tools"]) if (existsSync(join(root, dir))) symlinkSync(join(root, dir), join(copy, dir));
  // Every build first, then the measures in rounds, the builds taking turns within a round (a
  // slow moment of this shared machine hits all of them alike); medians over the rounds.
  const pkgs = builds.map(([name, env], i) => {
    if (Object.keys(env).length === 0) return join(root, "pkg");
    console.error(`building: ${name}`);
    execFileSync("scripts/build.sh", { cwd: copy, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
    execFileSync("mv", [join(copy, "pkg"), join(copy, `pkg-${i}`)]);
    return join(copy, `pkg-${i}`);
  });
  const measured = builds.map(() => ({ cold: [], speed: [] }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, pkg] of pkgs.entries()) {
      console.error(`measuring: ${builds[i][0]}, round ${round + 1} of ${ROUNDS}`);
      const res = spawnSync(process.execPath, [new URL(import.meta.url).pathname, "--measure", pkg], { encoding: "utf8" });
      if (res.status !== 0) throw new Error(`measuring ${builds[i][0]}: ${res.stderr}`);
      measured[i].speed.push(JSON.parse(res.stdout));
      measured[i].cold.push(coldStartNode(pkg)[0]);
    }
  }
  for (const [i, [name]] of builds.entries()) {
    const { cold, speed } = measured[i];
    const kinds = Object.keys(speed[0]);
    const mid = (k, j) => median(speed.map((s) => s[k][j]));
    rows.push({ name, size: payloadGzip(pkgs[i]), cold: median(cold), speed: Object.fromEntries(kinds.map((k) => [k, [mid(k, 0), mid(k, 1)]])) });
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}

const out = [];
const say = (line = "") => {
  console.log(line);
  out.push(line);
};
const kinds = Object.keys(rows[0].speed);
say("| build | wasm + glue, gzip -9 | Node cold start | " + kinds.map((k) => `${k}: µs (vs @cfworker)`).join(" | ") + " |");
say("|---|---|---|" + kinds.map(() => "---").join("|") + "|");
for (const { name, size, cold, speed } of rows) {
  const cells = kinds.map((k) => {
    const [ours, cf] = speed[k];
    const x = cf / ours;
    return `${ours.toFixed(1)} (${x.toFixed(1)}x${x >= GOAL_X ? ", met" : ""})`;
  });
  say(`| ${name} | ${kb(size)} | ${cold.toFixed(1)} ms | ${cells.join(" | ")} |`);
}
const meets = (r) => [r.size <= 80 * 1024, r.cold <= 5, kinds.every((k) => r.speed[k][1] / r.speed[k][0] >= GOAL_X)];
const none = (i) => rows.every((r) => !meets(r)[i]);
const verdict = rows.some((r) => meets(r).every(Boolean))
  ? `Builds that meet all three goals: ${rows.filter((r) => meets(r).every(Boolean)).map((r) => r.name).join(", ")}.`
  : `No build meets all three goals${none(0) ? "; none is within 80 KB" : ""}${none(1) ? "; none starts in 5 ms" : ""}${none(2) ? `; none is ${GOAL_X}x @cfworker on every workload` : ""}.`;
const fastest = rows.reduce((a, b) => (a.speed[kinds[0]][0] <= b.speed[kinds[0]][0] ? a : b));
say();
say(verdict);
say(`The fastest on the small workload (${fastest.name}) is ${kb(fastest.size - rows[0].size)} larger than the shipped build and starts ${(fastest.cold - rows[0].cold).toFixed(1)} ms slower.`);
writeFileSync(join(root, "BENCH-BUILDS.md"), `# What the build settings trade

Measured by \`make bench-builds\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}): the package built with
each setting, then its size, Node cold start and validation speed, all in one run on this machine
(the goals of issue #7: at most 80 KB gzip, 5 ms cold start, ${GOAL_X}x @cfworker/json-schema on every
workload). Times are µs per validation; every figure is the median of ${ROUNDS} rounds in which the builds take turns; \`vs @cfworker\` is measured in the same process.
The shipped build is the first row.

${out.join("\n")}
`);
