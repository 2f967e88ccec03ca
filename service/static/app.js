// The scoring page: sends the article to the public POST /v1/score and explains the answer;
// a reader's report on a mark goes to POST /v1/feedback.
// User text reaches the DOM only through textContent, never through innerHTML.
"use strict";

(function () {
  const API = "/v1/score";
  const FEEDBACK_API = "/v1/feedback";

  // Fixed colours for the lexicon's categories keep the legend stable between articles;
  // categories the page does not know take the remaining slots in order of appearance.
  const KNOWN_CATEGORIES = {
    fear: 0,
    outrage: 1,
    hyperbole: 2,
    conflict: 3,
    clickbait: 4,
    speculation: 5,
    plight: 6,
    emotive: 7,
  };
  const FIRST_EXTRA_SLOT = 8;
  const PALETTE_SIZE = 12;

  // Every category the API can name, in words; a category added later still gets a sentence.
  const CATEGORY_NOTES = {
    fear: "words meant to alarm",
    outrage: "words of anger and blame",
    hyperbole: "exaggeration",
    conflict: "war and fight metaphors",
    clickbait: "teasing the reader instead of informing",
    speculation: "guesswork presented as likely",
    plight: "dramatised suffering",
    emotive: "emotionally charged wording",
    loaded: "wording that annotated news articles often use for effect, learned from them",
    shouting: "capital letters used to shout",
  };
  const UNKNOWN_CATEGORY_NOTE = "wording the model counts as loaded";

  function categoryNote(category) {
    return CATEGORY_NOTES[category] || UNKNOWN_CATEGORY_NOTE;
  }

  // A span's weight is how likely such wording is to be used for effect: said in words.
  function effectWords(weight) {
    const tenths = Math.round(Math.max(0, Math.min(1, weight)) * 10);
    if (tenths === 0) return "rarely used for effect";
    if (tenths === 10) return "almost always used for effect";
    return `used for effect about ${tenths} times in 10`;
  }

  const LABEL_WORDS = {
    low: "Low",
    medium: "Medium",
    high: "High",
  };

  const $ = (id) => document.getElementById(id);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function plural(n, one, many) {
    return n === 1 ? one : many;
  }

  function percent(x) {
    return Math.round(x * 100);
  }

  function humanize(word) {
    const text = String(word).replace(/[_-]+/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function isAnonymousKind(kind) {
    return /anonym|unnamed|unidentified|unknown/i.test(String(kind));
  }

  // ---- offsets -------------------------------------------------------------------------

  // The API counts code points; JavaScript strings index UTF-16 units. map[i] is the UTF-16
  // index of code point i, and map[length] the string's UTF-16 length.
  function codePointToUtf16(text) {
    const map = [];
    let unit = 0;
    for (const ch of text) {
      map.push(unit);
      unit += ch.length;
    }
    map.push(unit);
    return map;
  }

  // ---- marks and segments --------------------------------------------------------------

  // Everything the page marks in one field: loaded spans, hedges and attributions.
  function collectMarks(result, field) {
    const marks = [];
    for (const s of result.framing.spans || []) {
      if (s.field === field) marks.push({ kind: "framing", span: s });
    }
    const sourcing = result.sourcing || {};
    for (const s of sourcing.hedges || []) {
      if (s.field === field) marks.push({ kind: "hedge", span: s });
    }
    for (const source of sourcing.sources || []) {
      const kind = isAnonymousKind(source.kind) ? "anonymous" : "attribution";
      for (const s of source.spans || []) {
        // Only the source's name and its cue ("said", "according to") are marked: the quoted
        // content can run for sentences, and underlining it would hide the loaded words.
        if (s.field === field && s.category !== "content") marks.push({ kind, span: s, source });
      }
    }
    return marks;
  }

  // Cut the text into non-overlapping segments, each with every mark covering it. A span whose
  // offsets or text do not match the text sent is reported, not drawn at a wrong place.
  function segment(text, marks) {
    const map = codePointToUtf16(text);
    const length = map.length - 1;
    const placed = [];
    const rejected = [];
    for (const mark of marks) {
      const { start, end } = mark.span;
      const ok = Number.isInteger(start) && Number.isInteger(end) && start >= 0 &&
        start < end && end <= length;
      const from = ok ? map[start] : 0;
      const to = ok ? map[end] : 0;
      if (!ok || (mark.span.text !== undefined && text.slice(from, to) !== mark.span.text)) {
        rejected.push(mark);
        continue;
      }
      placed.push({ ...mark, from, to });
    }
    const cuts = new Set([0, text.length]);
    for (const m of placed) {
      cuts.add(m.from);
      cuts.add(m.to);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const segments = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const from = points[i];
      const to = points[i + 1];
      const covering = placed.filter((m) => m.from <= from && m.to >= to);
      segments.push({ text: text.slice(from, to), marks: covering });
    }
    return { segments, rejected };
  }

  // ---- rendering: the marked text ------------------------------------------------------

  let extraSlots = {};
  let descriptionCount = 0;
  // The framing span each drawn mark stands for (the heaviest one where spans overlap).
  let markSpans = new WeakMap();

  function categorySlot(category) {
    if (category in KNOWN_CATEGORIES) return KNOWN_CATEGORIES[category];
    if (!(category in extraSlots)) {
      const n = Object.keys(extraSlots).length;
      extraSlots[category] = FIRST_EXTRA_SLOT + (n % (PALETTE_SIZE - FIRST_EXTRA_SLOT));
    }
    return extraSlots[category];
  }

  function describeSegment(marks) {
    const lines = [];
    const framing = marks
      .filter((m) => m.kind === "framing")
      .sort((a, b) => b.span.weight - a.span.weight);
    const seen = new Set();
    for (const m of framing) {
      if (seen.has(m.span.category)) continue;
      seen.add(m.span.category);
      lines.push(`${humanize(m.span.category)}: ${effectWords(m.span.weight)}`);
    }
    for (const m of marks) {
      if (m.kind === "hedge") lines.push("Hedged attribution: the claim is not stated as fact");
      if (m.kind === "anonymous") lines.push(`Anonymous source: ${m.source.name}`);
      if (m.kind === "attribution") {
        lines.push(`Attributed to ${m.source.name} (${humanize(m.source.kind).toLowerCase()})`);
      }
    }
    return [...new Set(lines)];
  }

  function renderMarked(container, text, marks) {
    clear(container);
    const { segments, rejected } = segment(text, marks);
    for (const seg of segments) {
      if (!seg.marks.length) {
        container.appendChild(document.createTextNode(seg.text));
        continue;
      }
      const framing = seg.marks
        .filter((m) => m.kind === "framing")
        .sort((a, b) => b.span.weight - a.span.weight);
      const node = el(framing.length ? "mark" : "span", "hl", seg.text);
      if (framing.length) {
        // The heaviest span decides the colour; the note lists every category.
        markSpans.set(node, framing[0].span);
        node.classList.add(`cat-${categorySlot(framing[0].span.category)}`);
        node.dataset.category = framing[0].span.category;
        node.dataset.categories = [...new Set(framing.map((m) => m.span.category))].join(" ");
      }
      for (const kind of new Set(seg.marks.map((m) => m.kind))) {
        if (kind !== "framing") node.classList.add(`mark-${kind}`);
      }
      const lines = describeSegment(seg.marks);
      const note = el("span", null, lines.join(". "));
      note.id = `mark-note-${++descriptionCount}`;
      $("descriptions").appendChild(note);
      node.dataset.tip = lines.join("\n");
      node.tabIndex = 0;
      node.setAttribute("aria-describedby", note.id);
      container.appendChild(node);
    }
    return rejected;
  }

  // ---- tooltip -------------------------------------------------------------------------

  let tipOwner = null;

  function showTip(target) {
    const tip = $("tip");
    clear(tip);
    for (const line of target.dataset.tip.split("\n")) {
      tip.appendChild(el("span", "tip-line", line));
    }
    tip.hidden = false;
    const box = target.getBoundingClientRect();
    const width = tip.offsetWidth;
    const left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
    tip.style.left = `${left + window.scrollX}px`;
    tip.style.top = `${box.bottom + window.scrollY + 6}px`;
    tipOwner = target;
  }

  function hideTip() {
    $("tip").hidden = true;
    tipOwner = null;
  }

  function wireTooltips() {
    const article = document.querySelector(".article");
    const isMark = (node) => node instanceof HTMLElement && node.dataset.tip !== undefined;
    article.addEventListener("mouseover", (e) => {
      if (isMark(e.target)) showTip(e.target);
    });
    article.addEventListener("mouseout", (e) => {
      if (isMark(e.target) && e.target === tipOwner && document.activeElement !== e.target) {
        hideTip();
      }
    });
    article.addEventListener("focusin", (e) => {
      if (isMark(e.target)) showTip(e.target);
    });
    article.addEventListener("focusout", hideTip);
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && tipOwner) hideTip();
    });
    window.addEventListener("resize", () => {
      if (tipOwner) showTip(tipOwner);
    });
  }

  // ---- rendering: legend, scores, sources, explanation -----------------------------------

  function renderLegend(result) {
    const legend = $("legend");
    clear(legend);
    const categories = Object.entries(result.framing.categories || {}).sort((a, b) => b[1] - a[1]);
    const counts = {};
    for (const s of result.framing.spans || []) counts[s.category] = (counts[s.category] || 0) + 1;
    for (const [category] of categories) {
      const item = el("li", "legend-item");
      item.appendChild(el("span", `swatch cat-${categorySlot(category)}`));
      item.appendChild(el("strong", null, humanize(category)));
      const n = counts[category] || 0;
      item.appendChild(
        el("span", "legend-note", ` ${categoryNote(category)}; ${n} ${plural(n, "mark", "marks")}`),
      );
      legend.appendChild(item);
    }
    if (!categories.length) legend.appendChild(el("li", "legend-item", "No loaded wording found."));
  }

  function renderScores(result) {
    $("overall-score").textContent = percent(result.score);
    const badge = $("overall-label");
    badge.textContent = LABEL_WORDS[result.label] || humanize(result.label);
    badge.className = `badge badge-${result.label}`;
    const bar = $("overall-bar");
    bar.style.width = `${percent(result.score)}%`;
    bar.className = `meter-bar meter-${result.label}`;
    const fmt = (part) =>
      part && typeof part.score === "number" ? String(percent(part.score)) : "not scored";
    $("headline-score").textContent = fmt(result.headline);
    $("body-score").textContent = fmt(result.body);
    $("framing-score").textContent = fmt(result.framing);
    $("sourcing-score").textContent =
      result.sourcing && typeof result.sourcing.score === "number"
        ? fmt(result.sourcing)
        : "not assessed";
    const model = result.model || {};
    $("model-ref").textContent = `Scored by model ${model.name} ${model.version}.`;
  }

  // What the headline claim rests on, in one sentence; `warn` when it rests on one source or none.
  function headlineSupport(result) {
    const support = (result.sourcing || {}).headline_support;
    if (!result.headline) {
      return { text: "No headline was sent, so there is no headline claim to check.", warn: false };
    }
    if (!support) {
      return { text: "The headline claim could not be traced in the body.", warn: false };
    }
    const names = support.sources || [];
    if (!names.length) {
      return {
        text: support.hedged
          ? "No source backs the headline claim: the body only reports it with hedged wording."
          : "No source in the body backs the headline claim.",
        warn: true,
      };
    }
    if (support.single_source || names.length === 1) {
      return {
        text: `The headline claim rests on a single source: ${names[0]}` +
          (support.hedged ? ", and it is hedged." : "."),
        warn: true,
      };
    }
    return {
      text: `The headline claim is backed by ${names.length} sources: ${names.join(", ")}` +
        (support.hedged ? ", though hedged." : "."),
      warn: false,
    };
  }

  function renderSources(result) {
    const sourcing = result.sourcing || {};
    const body = $("sources");
    clear(body);
    const sources = [...(sourcing.sources || [])].sort((a, b) => b.share - a.share);
    for (const source of sources) {
      const row = el("tr");
      if (isAnonymousKind(source.kind)) row.className = "anonymous";
      row.appendChild(el("th", null, source.name)).setAttribute("scope", "row");
      const media = (source.media || []).join(", ");
      // data-label names each cell where a narrow screen stacks the row (style.css).
      const kind = el("td", null, humanize(source.kind) + (media ? ` (${media})` : ""));
      kind.dataset.label = "Kind";
      row.appendChild(kind);
      const cited = el("td", "num", source.attributions);
      cited.dataset.label = "Cited";
      row.appendChild(cited);
      const share = el("td", "share");
      share.dataset.label = "Share of claims";
      const bar = el("span", "share-bar");
      bar.setAttribute("aria-hidden", "true");
      const fill = el("span", "share-fill");
      fill.style.width = `${percent(source.share)}%`;
      bar.appendChild(fill);
      share.appendChild(bar);
      share.appendChild(el("span", "share-value", `${percent(source.share)}%`));
      row.appendChild(share);
      body.appendChild(row);
    }
    $("sources-table").hidden = sources.length === 0;
    $("no-sources").hidden = sources.length !== 0;

    const support = headlineSupport(result);
    const line = $("headline-support");
    line.textContent = support.text;
    line.className = support.warn ? "headline-support warn" : "headline-support";

    const summary = [];
    if (sources.length) {
      const n = sourcing.distinct_sources;
      summary.push(`${n} distinct ${plural(n, "source", "sources")}`);
      summary.push(`top source carries ${percent(sourcing.top_source_share)}% of claims`);
      summary.push(`${percent(sourcing.anonymous_share)}% anonymous`);
    }
    const hedges = (sourcing.hedges || []).length;
    if (hedges) summary.push(`${hedges} ${hedges === 1 ? "hedge" : "hedges"}`);
    $("sourcing-summary").textContent = summary.length ? `${humanize(summary.join("; "))}.` : "";
  }

  function quoteList(words, limit) {
    const shown = words.slice(0, limit).map((w) => `“${w}”`);
    return shown.join(", ") + (words.length > limit ? ` and ${words.length - limit} more` : "");
  }

  // A few plain sentences built from the numbers in the answer, then the model's own reasons.
  function explain(result) {
    const lines = [];
    const scoreWord = {
      low: "reads as mostly sober",
      medium: "shows some sensational traits",
      high: "reads as strongly sensational",
    };
    lines.push(
      `Overall ${percent(result.score)} out of 100 (${result.label}): the article ` +
        `${scoreWord[result.label] || "was scored"}.`,
    );
    const parts = [];
    if (result.headline) parts.push(`the headline scores ${percent(result.headline.score)}`);
    if (result.body) parts.push(`the body scores ${percent(result.body.score)}`);
    if (parts.length) lines.push(`${humanize(parts.join(" and "))}.`);

    const spans = result.framing.spans || [];
    if (spans.length) {
      const categories = Object.entries(result.framing.categories || {})
        .sort((a, b) => b[1] - a[1]);
      const top = categories.slice(0, 2).map(([c]) => humanize(c).toLowerCase()).join(" and ");
      const heaviest = spans.slice().sort((a, b) => b.weight - a.weight);
      const words = [...new Set(heaviest.map((s) => s.text.toLowerCase()))];
      lines.push(
        `${spans.length} loaded ${spans.length === 1 ? "word or phrase" : "words or phrases"}, ` +
          `mostly ${top}: ${quoteList(words, 4)}.`,
      );
    } else {
      lines.push("No loaded wording from the lexicon was found.");
    }

    const sourcing = result.sourcing || {};
    const sources = sourcing.sources || [];
    if (sources.length === 1) {
      lines.push(`Every attributed claim comes from one source: ${sources[0].name}.`);
    } else if (sources.length > 1) {
      lines.push(
        `Claims are attributed to ${sourcing.distinct_sources} sources; the most cited carries ` +
          `${percent(sourcing.top_source_share)}% of the claims.`,
      );
    } else if (result.body) {
      lines.push("The body attributes its claims to no identifiable source.");
    }
    if (sourcing.anonymous_share > 0) {
      lines.push(
        `${percent(sourcing.anonymous_share)}% of the claims are attributed to anonymous sources.`,
      );
    }
    if (sourcing.hedge_share > 0) {
      lines.push(
        `${percent(sourcing.hedge_share)}% of the claims are only hedged, with no source at all.`,
      );
    }
    const hedges = sourcing.hedges || [];
    if (hedges.length) {
      const words = [...new Set(hedges.map((s) => s.text.toLowerCase()))];
      lines.push(
        `Hedged wording such as ${quoteList(words, 3)} reports claims ` +
          "without standing behind them.",
      );
    }
    const support = headlineSupport(result);
    if (support.warn) lines.push(support.text);

    const seen = new Set(lines);
    for (const reason of result.reasons || []) {
      if (!seen.has(reason)) lines.push(reason);
      seen.add(reason);
    }
    const list = $("why");
    clear(list);
    for (const line of lines) list.appendChild(el("li", null, line));
  }

  function render(result, sent) {
    extraSlots = {};
    markSpans = new WeakMap();
    resetFeedback();
    clear($("descriptions"));
    hideTip();
    renderScores(result);
    renderLegend(result);
    const rejected = [
      ...renderMarked($("marked-headline"), sent.headline, collectMarks(result, "headline")),
      ...renderMarked($("marked-body"), sent.body, collectMarks(result, "body")),
    ];
    $("marked-headline").hidden = !sent.headline;
    const note = $("span-note");
    note.hidden = rejected.length === 0;
    note.textContent = rejected.length
      ? `${rejected.length} marked ${rejected.length === 1 ? "span does" : "spans do"} not match ` +
        `the text sent and ${rejected.length === 1 ? "is" : "are"} not shown: ` +
        quoteList(rejected.map((m) => m.span.text), 5) + "."
      : "";
    renderSources(result);
    explain(result);
    $("results").hidden = false;
  }

  // ---- readers' reports ----------------------------------------------------------------

  // What was scored last: the texts sent and the answer. Reports are about these.
  let scored = null;
  let chosen = null;
  let lastSelection = null;

  function codePoints(text) {
    return [...text].length;
  }

  function resetFeedback() {
    if (chosen) chosen.node.classList.remove("hl-chosen");
    chosen = null;
    lastSelection = null;
    $("feedback-chosen").textContent = "No mark chosen.";
    $("not-loaded-button").disabled = true;
    $("feedback-status").textContent = "";
    delete $("feedback-status").dataset.outcome;
  }

  function chooseMark(node) {
    const span = markSpans.get(node);
    if (!span) return false;
    if (chosen) chosen.node.classList.remove("hl-chosen");
    chosen = { node, span };
    node.classList.add("hl-chosen");
    $("feedback-chosen").textContent =
      `Chosen: “${span.text}”, marked as ${humanize(span.category).toLowerCase()}.`;
    $("not-loaded-button").disabled = false;
    $("feedback-status").textContent = "";
    return true;
  }

  // The reader's selection inside the headline or the body, as a span of the text sent
  // (offsets in code points, white space at its ends left out); null when there is none.
  function selectedSpan() {
    const selection = window.getSelection();
    if (!scored || !selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    for (const field of ["headline", "body"]) {
      const container = $(`marked-${field}`);
      if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) {
        continue;
      }
      const before = document.createRange();
      before.selectNodeContents(container);
      before.setEnd(range.startContainer, range.startOffset);
      const raw = range.toString();
      const text = raw.trim();
      if (!text) return null;
      const from = before.toString().length + (raw.length - raw.trimStart().length);
      const full = scored.sent[field];
      const start = codePoints(full.slice(0, from));
      return { field, start, end: start + codePoints(text), text };
    }
    return null;
  }

  function feedbackMessage(status, payload, response, span) {
    const detail = payload && typeof payload.detail === "string" ? payload.detail : "";
    if (status === 201) return `Thank you: your report on “${span.text}” was recorded.`;
    if (status === 200) return `You reported “${span.text}” before; it is recorded once.`;
    if (status === 429) {
      const wait = response.headers.get("Retry-After");
      return `Too many reports from this address; try again in ${wait || "a few"} seconds.`;
    }
    if (status === 503) return "Reports cannot be recorded right now. Try again later.";
    return `The report was not recorded (${status})${detail ? `: ${detail}` : ""}.`;
  }

  async function sendFeedback(verdict, span) {
    const status = $("feedback-status");
    status.textContent = "Sending your report…";
    delete status.dataset.outcome;
    const payload = {
      headline: scored.sent.headline,
      body: scored.sent.body,
      model_version: (scored.result.model || {}).version || null,
      verdict,
      span: { field: span.field, start: span.start, end: span.end, text: span.text },
    };
    let response;
    try {
      response = await fetch(FEEDBACK_API, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(payload),
      });
    } catch (err) {
      status.textContent = "The report could not be sent: the service could not be reached.";
      status.dataset.outcome = "unreachable";
      return;
    }
    let answer = null;
    try {
      answer = await response.json();
    } catch (err) {
      answer = null;
    }
    status.textContent = feedbackMessage(response.status, answer, response, span);
    status.dataset.outcome = String(response.status);
  }

  function wireFeedback() {
    const article = document.querySelector(".article");
    article.addEventListener("click", (e) => {
      if (e.target instanceof HTMLElement) chooseMark(e.target);
    });
    article.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && e.target instanceof HTMLElement && chooseMark(e.target)) {
        e.preventDefault();
        $("not-loaded-button").focus();
      }
    });
    // Pressing the button may move the selection away: remember the last one in the text.
    document.addEventListener("selectionchange", () => {
      const span = selectedSpan();
      if (span) lastSelection = span;
    });
    $("not-loaded-button").addEventListener("click", () => {
      if (chosen && scored) sendFeedback("not_loaded", { ...chosen.span });
    });
    $("missed-button").addEventListener("click", () => {
      const span = selectedSpan() || lastSelection;
      if (!scored || !span) {
        $("feedback-status").textContent =
          "Select the missed words in the headline or the body first, then press the button.";
        $("feedback-status").dataset.outcome = "no-selection";
        return;
      }
      lastSelection = null;
      sendFeedback("missed", span);
    });
  }

  // ---- talking to the API --------------------------------------------------------------

  function errorMessage(status, payload) {
    const detail = payload && typeof payload.detail === "string" ? payload.detail : "";
    if (status === 413) {
      return `The article is too long to score: ${detail || "it is over the size limit"}.`;
    }
    if (status === 422) {
      return `The article could not be scored: ${detail || "the request was not valid"}.`;
    }
    if (status === 503) return "The scoring model is not ready yet. Try again in a moment.";
    return `The scoring service answered with an error (${status})${detail ? `: ${detail}` : ""}.`;
  }

  function showError(message, fieldName) {
    const box = $("error");
    box.textContent = message;
    box.hidden = false;
    $("status").textContent = "";
    for (const name of ["headline", "body"]) {
      const input = $(name);
      if (name === fieldName) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-errormessage", "error");
      } else {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-errormessage");
      }
    }
  }

  function clearError() {
    $("error").hidden = true;
    $("error").textContent = "";
    for (const name of ["headline", "body"]) {
      $(name).removeAttribute("aria-invalid");
      $(name).removeAttribute("aria-errormessage");
    }
  }

  let requestNumber = 0;

  async function scoreArticle() {
    const sent = { headline: $("headline").value, body: $("body").value };
    const mine = ++requestNumber;
    clearError();
    $("status").textContent = "Scoring…";
    $("results").setAttribute("aria-busy", "true");
    try {
      let response;
      try {
        response = await fetch(API, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify(sent),
        });
      } catch (err) {
        if (mine === requestNumber) {
          showError("The scoring service could not be reached. Is it running?");
        }
        return;
      }
      let payload = null;
      try {
        payload = await response.json();
      } catch (err) {
        payload = null;
      }
      if (mine !== requestNumber) return;
      if (!response.ok) {
        // Every error lists the fields it is about (`errors[].field`, e.g. "body").
        const errors = payload && Array.isArray(payload.errors) ? payload.errors : [];
        const field = errors.map((e) => e.field).find((f) => f === "headline" || f === "body");
        showError(errorMessage(response.status, payload), field || null);
        return;
      }
      if (!payload) {
        showError("The scoring service sent an answer this page cannot read.");
        return;
      }
      render(payload, sent);
      scored = { sent, result: payload };
      $("status").textContent = `Scored: ${percent(payload.score)} out of 100, ` +
        `${payload.label}. The results follow the form.`;
    } finally {
      if (mine === requestNumber) $("results").removeAttribute("aria-busy");
    }
  }

  // ---- examples and wiring -------------------------------------------------------------

  let examples = [];

  async function loadExamples() {
    const select = $("example");
    try {
      const response = await fetch("/static/examples.json");
      if (!response.ok) throw new Error(String(response.status));
      examples = (await response.json()).examples || [];
    } catch (err) {
      $("example-hint").textContent = "The example articles could not be loaded.";
      select.disabled = true;
      return;
    }
    for (const example of examples) {
      const option = el("option", null, example.title);
      option.value = example.id;
      select.appendChild(option);
    }
    document.body.dataset.examples = "ready";
  }

  function init() {
    wireTooltips();
    wireFeedback();
    $("score-form").addEventListener("submit", (e) => {
      e.preventDefault();
      scoreArticle();
    });
    $("body").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        scoreArticle();
      }
    });
    $("example").addEventListener("change", (e) => {
      const example = examples.find((x) => x.id === e.target.value);
      if (!example) return;
      $("headline").value = example.headline;
      $("body").value = example.body;
      scoreArticle();
    });
    $("clear-button").addEventListener("click", () => {
      requestNumber++;
      $("results").removeAttribute("aria-busy");
      $("headline").value = "";
      $("body").value = "";
      $("example").value = "";
      $("results").hidden = true;
      scored = null;
      resetFeedback();
      $("status").textContent = "Cleared.";
      clearError();
      hideTip();
      $("headline").focus();
    });
    loadExamples();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
