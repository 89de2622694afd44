// Runs one function of an explorer module on a batch of cases, for tests/test_js_agreement.py.
// stdin: {"module": "lib/info.js", "function": "klDivergence", "cases": [[arg, ...], ...]}
// stdout: [result, ...]. JSON has no infinities, NaN or BigInt: they travel as
// {"$float": "inf" | "-inf" | "nan"} and {"$bigint": "123"}, both ways.
import { readFileSync } from "node:fs";
import { load } from "./paths.mjs";

const { xoshiro128ss } = await load("lib/random.js");
// Helpers that turn a stateful API into a plain function of its arguments.
const HELPERS = {
  randomWords: (seed, n) => { const rng = xoshiro128ss(seed); return Array.from({ length: n }, () => rng.nextWord()); },
};

function decode(value) {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === "object") {
    if ("$float" in value) return { inf: Infinity, "-inf": -Infinity, nan: NaN }[value.$float];
    if ("$bigint" in value) return BigInt(value.$bigint);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

function encode(value) {
  if (typeof value === "number" && !Number.isFinite(value)) return { $float: Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf" };
  if (typeof value === "bigint") return { $bigint: value.toString() };
  if (ArrayBuffer.isView(value)) return Array.from(value, encode);
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value === undefined ? null : value;
}

const request = JSON.parse(readFileSync(0, "utf8"));
const module = request.module === "helpers" ? HELPERS : await load(request.module);
const fn = module[request.function];
if (typeof fn !== "function") throw new Error(`${request.module} exports no function ${request.function}`);
process.stdout.write(JSON.stringify(decode(request.cases).map((args) => encode(fn(...args)))));
