/**
 * Every word the explorers show, per language. An explorer never writes visible text itself:
 * it asks translator(model)(key, values) for the string `key` of the page's language, with
 * each {name} in it replaced by values[name] (for text), or fills the raw template with
 * page elements (dom.js fill) when a number must sit inside a sentence.
 *
 * The language is the model's "lang" value if set, else the page's <html lang>, else "en";
 * "zh-CN" and "zh_CN" are the same language, and a language missing a key falls back to
 * English. Every language must have exactly the keys of STRINGS.en (tests/js checks).
 */

export const STRINGS = {
  en: {
    "common.unit": "unit",
    "common.nats": "nats",
    "common.bits": "bits",
    "common.colon": ": ",

    "kl.title": "KL divergence explorer",
    "kl.outcomes": "outcomes",
    "kl.weight": "weight of {name}({x})",
    "kl.swap": "swap p and q",
    "kl.help": "The sliders set weights: each distribution is its weights divided by their sum.",
    "kl.bars": "bar chart of p and q",

    "bernoulli.title": "Bernoulli KL explorer",
    "bernoulli.probability": "{name} = P(x = 1)",

    "forward.title": "Forward vs reverse KL: one normal fitted to two modes",
    "forward.distance": "mode distance d",
    "forward.weight": "weight of the left mode",
    "forward.density": "density",
    "forward.plot": "the data p and the two normal fits",
    "forward.data": "data p (mixture)",
    "forward.forward": "forward KL fit (maximum likelihood)",
    "forward.reverse": "reverse KL fit",

    "coverage.title": "How much of the space of images can a data set show?",
    "coverage.side": "image side s",
    "coverage.examples": "examples n",
    "coverage.space": "D = {D} pixels: |X| = {power} = {images} images ({digits} digits).",
    "coverage.share": "n = {n} examples show at most {share} of them.",
    "coverage.all": "n = {n} examples can show all of them (a share of {share}).",
    "coverage.table": "A full table of probabilities needs {power} − 1 = {parameters} parameters.",

    "coin.title": "The likelihood of a coin's bias θ",
    "coin.heads": "heads n_H",
    "coin.tails": "tails n_T",
    "coin.likelihood": "the likelihood L(θ)",
    "coin.log_likelihood": "the log-likelihood log L(θ)",
    "coin.log_axis": "log L(θ) (nats)",
    "coin.no_flips": "No flips: every θ explains the data equally well (L = 1).",
    "coin.readout": "θ* = n_H / (n_H + n_T) = {theta};  log L(θ*) = {log} nats;  L(θ*) = {likelihood}",

    "mc.title": "Monte Carlo estimates of E_p[log q(x)]",
    "mc.n": "sample size n",
    "mc.seed": "seed",
    "mc.again": "draw new samples",
    "mc.x_axis": "estimate (nats per example)",
    "mc.y_axis": "density",
    "mc.plot": "histogram of the Monte Carlo estimates",
    "mc.estimates": "{repeats} estimates",
    "mc.exact_line": "exact E_p[log q(x)]",
    "mc.readout_exact": "exact E_p[log q(x)] = {exact} nats; σ = sd of log q(x) = {sigma} nats",
    "mc.readout_spread": "{repeats} estimates: mean {mean} nats, sd {sd} nats; predicted sd σ / √n = {predicted} nats",

    "extra.title": "Extra bits: {n} samples of p, arithmetic-coded with p and with q_t (measured when the page was built)",
    "extra.t": "t (q_t moves from p to r)",
    "extra.bars": "bar chart of p and q_t",
    "extra.unit": "bits/symbol",
    "extra.h-p": "H(p) = {value} {unit}",
    "extra.bits-p": "coded with p: {value} {unit} (measured)",
    "extra.bits-q": "coded with q_t: {value} {unit} (measured)",
    "extra.measured": "extra bits, measured: {value} {unit}",
    "extra.predicted": "KL(p ‖ q_t), predicted: {value} {unit}",

    "playground.title": "Model playground: draw a digit and watch the book's trained models score it",
    "playground.loading": "Loading the trained models' weights…",
    "playground.digit": "test digit",
    "playground.clear": "clear",
    "playground.invert": "invert",
    "playground.pen": "pen",
    "playground.pen_ink": "ink",
    "playground.pen_erase": "eraser",
    "playground.pen_hide": "hide pixels",
    "playground.region": "hide a region",
    "playground.region_none": "nothing hidden",
    "playground.region_bottom": "bottom half",
    "playground.region_top": "top half",
    "playground.region_left": "left half",
    "playground.region_right": "right half",
    "playground.region_centre": "centre square",
    "playground.complete": "complete the hidden pixels with NADE",
    "playground.sample_model": "sample from",
    "playground.seed": "seed",
    "playground.sample": "draw new samples",
    "playground.help": "Draw with the mouse, a pen or a finger. The drawing is cut into 28 × 28 squares, and a square is ink when its grey level is above 127 of 255, as for the book's digits.",
    "playground.canvas": "your image, as the models see it (hidden pixels in orange)",
    "playground.conditionals": "NADE's P(x_i = 1 | pixels before i), at your image",
    "playground.samples_plot": "samples (the seed and model below)",
    "playground.column_model": "model",
    "playground.column_log_p": "log p(x) (nats)",
    "playground.column_bits": "−log₂ p(x) (bits)",
    "playground.column_percentile": "test digits with a lower log p",
    "playground.size": "The weights of the models: {megabytes} MB, loaded into this page and run here.",
    "playground.source_digit": "test digit {k} of {n} (a {label})",
    "playground.source_edited": "edited",
    "playground.source_drawn": "drawn",
    "playground.image": "Image: {source}, {ink} pixels of ink.",
    "playground.hidden": "{n} pixels hidden: NADE completes them given the others.",
    "playground.nothing_hidden": "No pixel hidden.",
    "playground.completion": "Completion no. {k} of the {n} hidden pixels: {draws} draws of NADE in its pixel order, one picked in proportion to its importance weight; effective sample size {ess} of {draws}.",
    "playground.samples": "{count} samples from {model} (seed {seed}): mean log p(x) under it {mean} nats.",
  },
  zh_CN: {
    "common.unit": "单位",
    "common.nats": "奈特",
    "common.bits": "比特",
    "common.colon": "：",

    "kl.title": "KL 散度探索器",
    "kl.outcomes": "结果个数",
    "kl.weight": "{name}({x}) 的权重",
    "kl.swap": "交换 p 与 q",
    "kl.help": "滑块设定权重：每个分布等于其权重除以权重之和。",
    "kl.bars": "p 与 q 的条形图",

    "bernoulli.title": "伯努利分布的 KL 散度探索器",
    "bernoulli.probability": "{name} = P(x = 1)",

    "forward.title": "前向 KL 与反向 KL：用一个正态分布拟合两个峰",
    "forward.distance": "两峰间距 d",
    "forward.weight": "左峰的权重",
    "forward.density": "密度",
    "forward.plot": "数据分布 p 与两个正态拟合",
    "forward.data": "数据分布 p（混合分布）",
    "forward.forward": "前向 KL 拟合（最大似然）",
    "forward.reverse": "反向 KL 拟合",

    "coverage.title": "一个数据集能覆盖图像空间的多大部分？",
    "coverage.side": "图像边长 s",
    "coverage.examples": "样本数 n",
    "coverage.space": "D = {D} 个像素：|X| = {power} = {images} 张图像（{digits} 位数）。",
    "coverage.share": "n = {n} 个样本至多覆盖其中的 {share}。",
    "coverage.all": "n = {n} 个样本足以覆盖全部图像（比例为 {share}）。",
    "coverage.table": "一张完整的概率表需要 {power} − 1 = {parameters} 个参数。",

    "coin.title": "硬币偏置 θ 的似然",
    "coin.heads": "正面次数 n_H",
    "coin.tails": "反面次数 n_T",
    "coin.likelihood": "似然 L(θ)",
    "coin.log_likelihood": "对数似然 log L(θ)",
    "coin.log_axis": "log L(θ)（奈特）",
    "coin.no_flips": "没有抛掷：每个 θ 对数据的解释都一样好（L = 1）。",
    "coin.readout": "θ* = n_H / (n_H + n_T) = {theta}；log L(θ*) = {log} 奈特；L(θ*) = {likelihood}",

    "mc.title": "E_p[log q(x)] 的蒙特卡洛估计",
    "mc.n": "样本量 n",
    "mc.seed": "随机种子",
    "mc.again": "重新抽样",
    "mc.x_axis": "估计值（奈特/样本）",
    "mc.y_axis": "密度",
    "mc.plot": "蒙特卡洛估计值的直方图",
    "mc.estimates": "{repeats} 次估计",
    "mc.exact_line": "精确值 E_p[log q(x)]",
    "mc.readout_exact": "精确值 E_p[log q(x)] = {exact} 奈特；σ = log q(x) 的标准差 = {sigma} 奈特",
    "mc.readout_spread": "{repeats} 次估计：均值 {mean} 奈特，标准差 {sd} 奈特；预测的标准差 σ / √n = {predicted} 奈特",

    "extra.title": "额外比特：p 的 {n} 个样本，分别用 p 和 q_t 做算术编码（构建页面时测得）",
    "extra.t": "t（q_t 从 p 移向 r）",
    "extra.bars": "p 与 q_t 的条形图",
    "extra.unit": "比特/符号",
    "extra.h-p": "H(p) = {value} {unit}",
    "extra.bits-p": "用 p 编码：{value} {unit}（实测）",
    "extra.bits-q": "用 q_t 编码：{value} {unit}（实测）",
    "extra.measured": "额外比特（实测）：{value} {unit}",
    "extra.predicted": "KL(p ‖ q_t)（预测）：{value} {unit}",
    "playground.title": "模型试验场：画一个数字，看本书训练好的模型如何为它打分",
    "playground.loading": "正在加载训练好的模型权重…",
    "playground.digit": "测试数字",
    "playground.clear": "清空",
    "playground.invert": "反色",
    "playground.pen": "画笔",
    "playground.pen_ink": "墨迹",
    "playground.pen_erase": "橡皮",
    "playground.pen_hide": "隐藏像素",
    "playground.region": "隐藏一个区域",
    "playground.region_none": "不隐藏",
    "playground.region_bottom": "下半部分",
    "playground.region_top": "上半部分",
    "playground.region_left": "左半部分",
    "playground.region_right": "右半部分",
    "playground.region_centre": "中央方块",
    "playground.complete": "用 NADE 补全被隐藏的像素",
    "playground.sample_model": "采样模型",
    "playground.seed": "随机种子",
    "playground.sample": "生成新样本",
    "playground.help": "用鼠标、触控笔或手指作画。画面被切成 28 × 28 个方格，方格的灰度高于 127（满值 255）即为墨迹，与本书的数字二值化方式相同。",
    "playground.canvas": "模型眼中的你的图像（橙色为被隐藏的像素）",
    "playground.conditionals": "NADE 在你的图像上的 P(x_i = 1 | i 之前的像素)",
    "playground.samples_plot": "样本（所用种子与模型见下方）",
    "playground.column_model": "模型",
    "playground.column_log_p": "log p(x)（奈特）",
    "playground.column_bits": "−log₂ p(x)（比特）",
    "playground.column_percentile": "log p 更低的测试数字",
    "playground.size": "模型权重共 {megabytes} MB，已载入本页并在此运行。",
    "playground.source_digit": "第 {k} 个测试数字（共 {n} 个，标签 {label}）",
    "playground.source_edited": "已编辑",
    "playground.source_drawn": "手绘",
    "playground.image": "图像：{source}，{ink} 个墨迹像素。",
    "playground.hidden": "隐藏了 {n} 个像素：NADE 在其余像素给定时补全它们。",
    "playground.nothing_hidden": "没有隐藏像素。",
    "playground.completion": "第 {k} 次补全 {n} 个隐藏像素：按 NADE 的像素顺序抽取 {draws} 次，按重要性权重的比例选出一次；有效样本量为 {ess}（共 {draws}）。",
    "playground.samples": "来自 {model} 的 {count} 个样本（种子 {seed}）：它们在该模型下的平均 log p(x) 为 {mean} 奈特。",
  },
};

function normalise(lang) {
  return String(lang || "").trim().replace("-", "_");
}

/** The language an explorer speaks: the model's "lang" if set, else the page's, else "en". */
export function languageOf(model) {
  let lang = "";
  try { lang = model.get("lang"); } catch { lang = ""; }
  if (!lang && typeof document !== "undefined") lang = document.documentElement.lang;
  lang = normalise(lang);
  if (STRINGS[lang]) return lang;
  const base = lang.split("_")[0];
  return Object.keys(STRINGS).find((name) => name.split("_")[0] === base) || "en";
}

/** Replace each {name} in `template` by values[name]. */
export function format(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in values)) throw new Error(`no value for {${name}} in "${template}"`);
    return String(values[name]);
  });
}

/** t(key, values): the string `key` in the model's language (see languageOf). */
export function translator(modelOrLang) {
  const lang = typeof modelOrLang === "string" ? (STRINGS[normalise(modelOrLang)] ? normalise(modelOrLang) : "en") : languageOf(modelOrLang);
  const table = STRINGS[lang];
  return function t(key, values) {
    const template = key in table ? table[key] : STRINGS.en[key];
    if (template === undefined) throw new Error(`no string "${key}"`);
    return values === undefined ? template : format(template, values);
  };
}
