// The documentation check of the package's types, shared by types-docs.test.mjs: every export
// of every entry, and every member, option field and parameter the package's own .d.ts files
// declare, has TSDoc; exported functions, classes, interfaces and class methods have an
// @example; and the TypeScript language service shows those docs on hover.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export const ts = createRequire(import.meta.url)("typescript");

export const pkgDir = fileURLToPath(new URL("../../pkg/", import.meta.url));

/** The files a consumer's compiler reads as the package's public types (the entries of exports). */
export const ENTRIES = ["index.d.ts", "full.d.ts", "node.d.ts", "node.d.cts", "workerd.d.ts", "element.d.ts", "error.d.ts"];

/** The .d.ts files written by hand (js/*.d.ts); airflow_trigger.d.ts is wasm-bindgen's, internal. */
export const OWN = ["api.d.ts", "error.d.ts", "element.d.ts", "index.d.ts", "full.d.ts", "node.d.ts", "node.d.cts", "workerd.d.ts"];

const OPTIONS = {
  strict: true,
  noEmit: true,
  skipLibCheck: false, // the package's .d.ts files are checked...
  skipDefaultLibCheck: true, // ...TypeScript's own lib files are not (they take seconds)
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
};

const parsed = new Map();

/**
 * A program over the package's entries (plus `extra` files), with `overrides` (absolute path →
 * text) replacing files' contents: the tests remove a doc comment that way.
 */
export function makeProgram({ overrides = new Map(), extra = [] } = {}) {
  const host = ts.createCompilerHost(OPTIONS, true);
  const { getSourceFile, readFile, fileExists } = host;
  host.getSourceFile = (name, version, onError, create) => {
    if (overrides.has(name)) return ts.createSourceFile(name, overrides.get(name), version, true);
    // Parsed once per process (lib.dom.d.ts takes a while), whatever the overrides.
    if (!parsed.has(name)) parsed.set(name, getSourceFile.call(host, name, version, onError, create));
    return parsed.get(name);
  };
  host.readFile = (name) => (overrides.has(name) ? overrides.get(name) : readFile.call(host, name));
  host.fileExists = (name) => overrides.has(name) || fileExists.call(host, name);
  return ts.createProgram([...ENTRIES.map((f) => pkgDir + f), ...extra], OPTIONS, host);
}

const isOwn = (fileName) => OWN.some((f) => fileName === pkgDir + f);

function docOf(symbol, checker) {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
}

function hasJsDoc(node) {
  return ts.getJSDocCommentsAndTags(node).some((d) => ts.isJSDoc(d) && (d.comment || d.tags?.length));
}

function tagNames(node) {
  return ts.getJSDocTags(node).map((t) => t.tagName.text);
}

function paramTags(node) {
  return ts.getJSDocTags(node).filter(ts.isJSDocParameterTag).map((t) => t.name.getText());
}

/** A readable name for a declaration: `AirflowClient.trigger`, `Auth.username`. */
function nameOf(node) {
  const parts = [];
  for (let n = node; n && !ts.isSourceFile(n); n = n.parent) {
    if (n.name && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name) || ts.isComputedPropertyName(n.name))) {
      parts.unshift(n.name.getText());
    } else if (ts.isConstructorDeclaration(n)) {
      parts.unshift("constructor");
    }
  }
  return parts.join(".") || ts.SyntaxKind[node.kind];
}

/** Whether `node` is the second or later overload of a method (the first carries the @example). */
function laterOverload(node) {
  const members = node.parent?.members;
  if (!members || !node.name) return false;
  const same = members.filter((m) => m.kind === node.kind && m.name?.getText() === node.name.getText());
  return same.indexOf(node) > 0;
}

/** Inside `declare global { ... }`: an augmentation of a global interface, documented by its lib. */
function inGlobalAugmentation(node) {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isModuleDeclaration(n) && n.flags & ts.NodeFlags.GlobalAugmentation) return true;
  }
  return false;
}

/** Every problem with the package's docs, as readable lines (empty when all is well). */
export function docProblems(options = {}) {
  const program = makeProgram(options);
  const checker = program.getTypeChecker();
  const problems = [];

  for (const d of ts.getPreEmitDiagnostics(program)) {
    problems.push(`compile: ${d.file ? d.file.fileName.replace(pkgDir, "") + ": " : ""}${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
  }

  // 1. Every export of every entry, as the checker resolves it (re-exports included).
  for (const entry of ENTRIES) {
    const file = program.getSourceFile(pkgDir + entry);
    const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(file));
    if (exports.length === 0) problems.push(`${entry}: exports nothing`);
    for (const exported of exports) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const where = `${entry}: ${exported.name}`;
      if (!docOf(symbol, checker)) problems.push(`${where} has no documentation`);
      const needsExample = symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class | ts.SymbolFlags.Interface);
      if (needsExample && !symbol.getJsDocTags(checker).some((t) => t.name === "example")) {
        problems.push(`${where} has no @example`);
      }
      // 2. Every member of an exported class or interface that the package declares.
      if (symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) {
        const type = checker.getDeclaredTypeOfSymbol(symbol);
        for (const member of checker.getPropertiesOfType(type)) {
          if (!member.declarations?.length || !member.declarations.every((d) => isOwn(d.getSourceFile().fileName))) continue;
          if (!docOf(member, checker)) problems.push(`${where}.${member.name.replace(/^__@(\w+)@\d+$/, "[Symbol.$1]")} has no documentation`);
        }
      }
    }
  }

  // 3. Every declaration in the package's own files: members of object types (options fields in
  //    unions and intersections included), accessors, constructors; @param for every parameter;
  //    @example for every class method.
  for (const name of OWN) {
    const file = program.getSourceFile(pkgDir + name);
    const visit = (node) => {
      const documented = [
        ts.SyntaxKind.PropertySignature,
        ts.SyntaxKind.MethodSignature,
        ts.SyntaxKind.PropertyDeclaration,
        ts.SyntaxKind.MethodDeclaration,
        ts.SyntaxKind.Constructor,
        ts.SyntaxKind.GetAccessor,
        ts.SyntaxKind.SetAccessor,
        ts.SyntaxKind.FunctionDeclaration,
        ts.SyntaxKind.ClassDeclaration,
        ts.SyntaxKind.TypeAliasDeclaration,
        ts.SyntaxKind.CallSignature,
        ts.SyntaxKind.ConstructSignature,
        // (Index signatures need none: no hover ever shows one.)
      ].includes(node.kind) || (ts.isInterfaceDeclaration(node) && !inGlobalAugmentation(node));
      if (documented && !hasJsDoc(node)) {
        // A getter and its setter are one property: one doc comment serves both.
        const accessor = ts.isGetAccessor(node) || ts.isSetAccessor(node);
        const pair = accessor && node.parent.members.find((m) => m !== node && (ts.isGetAccessor(m) || ts.isSetAccessor(m)) && m.name.getText() === node.name.getText());
        if (!(pair && hasJsDoc(pair))) problems.push(`${name}: ${nameOf(node)} has no documentation`);
      }
      if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isMethodSignature(node)) && node.parameters.length) {
        const tags = paramTags(node);
        for (const p of node.parameters) {
          if (!tags.includes(p.name.getText())) problems.push(`${name}: ${nameOf(node)} has no @param for ${p.name.getText()}`);
        }
      }
      if (ts.isMethodDeclaration(node) && !laterOverload(node) && !tagNames(node).includes("example")) {
        problems.push(`${name}: ${nameOf(node)} has no @example`);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return problems;
}

/**
 * Hover (quick info) through the language service on a consumer's code: every method of the
 * exported classes, every exported function, and option fields. Returns the hovers without
 * documentation, or without an @example where one is due.
 */
export function hoverProblems({ overrides = new Map() } = {}) {
  const program = makeProgram({ overrides });
  const checker = program.getTypeChecker();
  const lines = [`import * as at from "./node.js";`, `import * as el from "./element.js";`];
  const marks = []; // [name, needs @example, the text before the marked identifier on its line]
  const mark = (line, ident, example) => {
    marks.push({ line: lines.length, col: line.indexOf(ident), ident, example });
    lines.push(line);
  };
  for (const [ns, entry] of [["at", "node.d.ts"], ["el", "element.d.ts"]]) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(pkgDir + entry));
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const name = exported.name;
      if (symbol.flags & ts.SymbolFlags.Function) mark(`void ${ns}.${name};`, name, true);
      if (symbol.flags & ts.SymbolFlags.Class) {
        mark(`declare const v_${name}: ${ns}.${name};`, `${name};`, true);
        for (const member of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
          if (!member.declarations?.every((d) => d.getSourceFile().fileName.startsWith(pkgDir))) continue;
          const method = (member.flags & ts.SymbolFlags.Method) !== 0;
          // Hover on `v[Symbol.dispose]` shows Symbol.dispose (the method has no identifier of
          // its own to hover): its doc is checked above with the other members.
          if (/^__@/.test(member.name)) mark(`void v_${name}[Symbol.dispose];`, "dispose]", false);
          else mark(`void v_${name}.${member.name};`, `.${member.name};`, method);
        }
      }
      if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
        const required = (symbol.declarations[0].typeParameters ?? []).filter((p) => !p.default).length;
        const args = required ? `<${Array(required).fill("never").join(", ")}>` : "";
        mark(`type t_${name} = ${ns}.${name}${args};`, `.${name}${args};`, (symbol.flags & ts.SymbolFlags.Interface) !== 0);
      }
    }
  }
  // Option fields in object literals, as an editor shows them while typing.
  mark(`void new at.AirflowClient({ baseUrl: "x", paramsTtlMs: 0 });`, "paramsTtlMs", false);
  mark(`void at.buildTriggerRequest({ baseUrl: "x", apiVersion: "v2", dagId: "d", conf: {}, dagRunId: "r" });`, "dagRunId", false);
  mark(`void new at.AirflowClient({ baseUrl: "x" }).trigger("d", { conf: {}, unpause: true });`, "unpause", false);
  mark(`void new at.AirflowClient({ baseUrl: "x", auth: { type: "password", username: "u", password: "p" } });`, "username", false);
  mark(`void new at.ConfValidator({}, { maxSteps: 1 });`, "maxSteps", false);
  mark(`void new at.ParamsValidator({}, { unknownKeys: "error" });`, "unknownKeys", false);
  mark(`void at.validateConf({}, 1).errors.map((e) => e.keyword === "required" && e.params.missingProperty);`, "missingProperty", false);

  const consumer = pkgDir + "__hover__.ts";
  const text = lines.join("\n");
  const files = new Map([...overrides, [consumer, text]]);
  const service = ts.createLanguageService({
    getScriptFileNames: () => [consumer],
    getScriptVersion: () => "1",
    getScriptSnapshot: (name) => {
      const t = files.get(name) ?? ts.sys.readFile(name);
      return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t);
    },
    getCurrentDirectory: () => pkgDir,
    getCompilationSettings: () => OPTIONS,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (name) => files.has(name) || ts.sys.fileExists(name),
    readFile: (name) => files.get(name) ?? ts.sys.readFile(name),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  });
  const diagnostics = service.getSemanticDiagnostics(consumer).map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "));
  const problems = diagnostics.map((d) => `hover consumer does not compile: ${d}`);
  const starts = [0];
  for (const l of lines) starts.push(starts[starts.length - 1] + l.length + 1);
  for (const m of marks) {
    // The marker may start with "." and end with ";" or "]": hover on the identifier itself.
    const offset = m.ident.startsWith(".") ? 1 : 0;
    const info = service.getQuickInfoAtPosition(consumer, starts[m.line] + m.col + offset);
    const shown = `${lines[m.line].trim()} (hover on ${m.ident.replace(/^\.|[;\]]$/g, "")})`;
    if (!info) {
      problems.push(`${shown}: no quick info`);
      continue;
    }
    if (!ts.displayPartsToString(info.documentation).trim()) problems.push(`${shown}: no documentation`);
    if (m.example && !(info.tags ?? []).some((t) => t.name === "example")) problems.push(`${shown}: no @example`);
  }
  return { problems, hovers: marks.length };
}

/**
 * `text` without the doc comment right before the first line that contains `marker` (so a test
 * can show the check notices a missing doc).
 */
export function withoutDocBefore(text, marker) {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`marker not found: ${marker}`);
  const lineStart = text.lastIndexOf("\n", at) + 1;
  const end = text.lastIndexOf("*/", lineStart);
  const start = text.lastIndexOf("/**", end);
  if (end < 0 || start < 0 || text.slice(end + 2, lineStart).trim() !== "") throw new Error(`no doc comment right before: ${marker}`);
  return text.slice(0, start) + text.slice(end + 2);
}

/** `text` without the @example of the doc comment right before the first line containing `marker`. */
export function withoutExampleBefore(text, marker) {
  const at = text.indexOf(marker);
  const lineStart = text.lastIndexOf("\n", at) + 1;
  const end = text.lastIndexOf("*/", lineStart);
  const example = text.lastIndexOf("@example", end);
  if (example < 0 || text.lastIndexOf("/**", end) > example) throw new Error(`no @example right before: ${marker}`);
  const lineOfExample = text.lastIndexOf("\n", example) + 1;
  const lineOfEnd = text.lastIndexOf("\n", end) + 1;
  return text.slice(0, lineOfExample) + text.slice(lineOfEnd);
}

/** Every `@example` of the package's own .d.ts files: `{ where, code }`, the code without its fences. */
export function examples() {
  const program = makeProgram();
  const found = [];
  for (const name of OWN) {
    const file = program.getSourceFile(pkgDir + name);
    const visit = (node) => {
      for (const tag of ts.getJSDocTags(node)) {
        if (tag.tagName.text !== "example" || tag.parent.parent !== node) continue;
        const text = typeof tag.comment === "string" ? tag.comment : ts.getTextOfJSDocComment(tag.comment) ?? "";
        const code = text.replace(/^\s*```\w*\n?/, "").replace(/\n?```\s*$/, "");
        found.push({ where: `${name}: ${nameOf(node)}`, code });
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}
