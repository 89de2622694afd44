import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import test from "node:test";
import { JS, load } from "./paths.mjs";

const { STRINGS, format, languageOf, translator } = await load("lib/strings.js");

function sources() {
  const files = [];
  for (const folder of ["", "lib/"]) {
    for (const name of readdirSync(new URL(folder, JS))) {
      if (name.endsWith(".js")) files.push([folder + name, readFileSync(new URL(folder + name, JS), "utf8")]);
    }
  }
  return files;
}

test("every language has exactly the keys of English", () => {
  const keys = Object.keys(STRINGS.en).sort();
  for (const [lang, table] of Object.entries(STRINGS)) assert.deepEqual(Object.keys(table).sort(), keys, lang);
});

test("every key the explorers ask for exists, and every English string is used", () => {
  const literals = new Set(), prefixes = [];
  for (const [name, text] of sources()) {
    if (name === "lib/strings.js") continue;
    for (const match of text.matchAll(/\bt\(\s*["']([\w.-]+)["']/g)) {
      assert.ok(match[1] in STRINGS.en, `${name} asks for the missing string "${match[1]}"`);
    }
    for (const match of text.matchAll(/["']([a-z]+\.[\w.-]+)["']/g)) literals.add(match[1]);
    for (const match of text.matchAll(/\bt\(`([\w.-]*)\$\{/g)) prefixes.push(match[1]);
  }
  for (const key of Object.keys(STRINGS.en)) {
    assert.ok(literals.has(key) || prefixes.some((prefix) => key.startsWith(prefix)), `"${key}" is never used`);
  }
});

test("the language is the model's, else the page's, else English; unknown keys throw", () => {
  const model = (lang) => ({ get: () => lang });
  assert.equal(languageOf(model("en")), "en");
  assert.equal(languageOf(model("xx-YY")), "en");
  assert.equal(translator("en")("common.nats"), "nats");
  assert.equal(translator("en")("kl.weight", { name: "p", x: 2 }), "weight of p(2)");
  assert.throws(() => translator("en")("no.such.key"), /no string/);
  assert.throws(() => format("{a} and {b}", { a: 1 }), /no value for \{b\}/);
});
