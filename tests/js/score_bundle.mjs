// Scores images with every model of an exported playground bundle, for tests/test_playground.py.
// argv: manifest.json playground.bin; stdin: {"images": [[0/1 x D], ...], "seeds": [s, ...]}
// stdout: {"log_probs": {name: [nats, ...]}, "samples": {name: [[0/1 x D], ...]}}
import { readFileSync } from "node:fs";
import { load } from "./paths.mjs";

const { loadModels } = await load("lib/scorers.js");
const [manifestPath, binPath] = process.argv.slice(2);
const bytes = readFileSync(binPath);
const { models } = loadModels(JSON.parse(readFileSync(manifestPath, "utf8")), new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
const request = JSON.parse(readFileSync(0, "utf8"));
const out = { log_probs: {}, samples: {} };
for (const [name, model] of Object.entries(models)) {
  out.log_probs[name] = request.images.map((x) => model.logProb(x));
  out.samples[name] = (request.seeds || []).map((seed) => Array.from(model.sample(seed)));
}
process.stdout.write(JSON.stringify(out));
