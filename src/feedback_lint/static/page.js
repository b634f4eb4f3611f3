// The page at GET /: sends the draft to POST /v1/lint and shows the answer.
// Offsets in the answer count code points; JavaScript strings count UTF-16 units,
// so the text is handled as an array of code points throughout.
"use strict";

(function () {
  const form = document.getElementById("form");
  const draft = document.getElementById("draft");
  const button = document.getElementById("check");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const verdictBox = document.getElementById("verdict");
  const highlighted = document.getElementById("highlighted");
  const findingsList = document.getElementById("findings");
  const noFindings = document.getElementById("no-findings");
  const checklist = document.getElementById("checklist");

  const SEVERITY_RANK = { info: 0, warning: 1, error: 2 };
  const VERDICT_TEXT = {
    ok: "ok to send",
    review: "review before sending",
    block: "rewrite before sending",
  };
  // The checklist of a feedback unit, in the order a reader needs it.
  const CHECKLIST = [
    ["observation", "Situation", "a concrete occasion you observed"],
    ["impact", "Impact", "why it matters"],
    ["next-step", "Next step", "a request, suggestion or way forward"],
  ];
  // Other signals the built-in rules define; any signal not named here is shown by its name.
  const OTHER_SIGNALS = {
    timeframe: ["Time frame", "when the next step is due"],
    invitation: ["Their view", "a question inviting the other person's view"],
    strength: ["Strength", "something that went well"],
  };

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function slice(points, start, end) {
    return points.slice(start, end).join("");
  }

  function renderHighlighted(points, findings) {
    highlighted.replaceChildren();
    const bounds = new Set([0, points.length]);
    findings.forEach((f) => {
      bounds.add(f.start);
      bounds.add(f.end);
    });
    const cuts = Array.from(bounds).sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [start, end] = [cuts[i], cuts[i + 1]];
      const text = slice(points, start, end);
      const covering = findings
        .map((f, index) => ({ f, index }))
        .filter(({ f }) => f.start <= start && end <= f.end);
      if (covering.length === 0) {
        highlighted.append(document.createTextNode(text));
        continue;
      }
      const worst = covering.reduce((a, b) =>
        SEVERITY_RANK[b.f.severity] > SEVERITY_RANK[a.f.severity] ? b : a
      );
      const mark = element("mark", "finding severity-" + worst.f.severity, text);
      mark.title = covering.map(({ f }) => f.code + ": " + f.message).join("\n");
      mark.dataset.findings = covering.map(({ index }) => index).join(" ");
      mark.addEventListener("click", () => focusFinding(covering[0].index));
      highlighted.append(mark);
    }
  }

  function focusFinding(index) {
    const item = document.getElementById("finding-" + index);
    if (!item) return;
    item.scrollIntoView({ block: "nearest", behavior: "smooth" });
    item.classList.add("flash");
    setTimeout(() => item.classList.remove("flash"), 900);
  }

  function renderFindings(findings) {
    findingsList.replaceChildren();
    noFindings.hidden = findings.length > 0;
    findings.forEach((f, index) => {
      const item = element("li", "finding-item severity-" + f.severity);
      item.id = "finding-" + index;
      const head = element("div", "finding-head");
      head.append(
        element("span", "badge severity-" + f.severity, f.severity),
        element("code", "code", f.code),
        element("span", "name", f.name),
        element("span", "where", "line " + f.line + ", column " + f.column)
      );
      item.append(head, element("p", "message", f.message));
      f.suggestions.forEach((s) => {
        const rewrite = element("div", "rewrite");
        rewrite.append(element("span", "rewrite-title", s.title + ":"), " ");
        rewrite.append(element("q", "rewrite-text", s.replacement.trim()));
        item.append(rewrite);
      });
      item.addEventListener("mouseenter", () => toggleMarks(index, true));
      item.addEventListener("mouseleave", () => toggleMarks(index, false));
      findingsList.append(item);
    });
  }

  function toggleMarks(index, on) {
    highlighted.querySelectorAll("mark").forEach((mark) => {
      if (mark.dataset.findings.split(" ").includes(String(index))) {
        mark.classList.toggle("active", on);
      }
    });
  }

  function label(name) {
    const s = name.replace(/-/g, " ");
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  function quote(points, spans) {
    return spans
      .slice(0, 2)
      .map((span) => "“" + slice(points, span[0], span[1]).trim() + "”")
      .join(", ");
  }

  function renderChecklist(points, units) {
    checklist.replaceChildren();
    const withSignals = units.filter((u) => Object.keys(u.signals || {}).length > 0);
    if (withSignals.length === 0) {
      checklist.append(element("p", "muted", "No signals were checked for this draft."));
      return;
    }
    withSignals.forEach((unit, n) => {
      const box = element("div", "unit");
      if (withSignals.length > 1) {
        const first = slice(points, unit.start, unit.end).trim().split("\n")[0];
        box.append(element("h4", null, "Part " + (n + 1) + ": " + first.slice(0, 60)));
      }
      const signals = unit.signals;
      if (signals.criticism !== undefined) {
        const critical = signals.criticism.length > 0;
        box.append(
          element(
            "p",
            "criticism",
            critical
              ? "This part criticises: " + quote(points, signals.criticism)
              : "No criticism found in this part."
          )
        );
      }
      if ((signals.commentary || []).length > 0) {
        // a gate, not a part good feedback has: say why the checks stay silent
        box.append(
          element(
            "p",
            "commentary",
            "This part comments on public life (" +
              quote(points, signals.commentary) +
              "), so the completeness checks do not apply to it."
          )
        );
      }
      const list = element("ul", "checklist");
      const shown = new Set(["criticism", "commentary"]);
      const item = (name, title, help) => {
        shown.add(name);
        const spans = signals[name] || [];
        const found = spans.length > 0;
        const li = element("li", found ? "present" : "missing");
        li.dataset.signal = name;
        li.append(element("span", "tick", found ? "✓" : "✗"));
        li.append(element("strong", null, title));
        li.append(" ", element("span", "detail", found ? quote(points, spans) : "missing: " + help));
        list.append(li);
      };
      CHECKLIST.forEach(([name, title, help]) => {
        if (signals[name] !== undefined) item(name, title, help);
      });
      Object.keys(signals)
        .filter((name) => !shown.has(name))
        .sort()
        .forEach((name) => {
          const [title, help] = OTHER_SIGNALS[name] || [label(name), "not found"];
          item(name, title, help);
        });
      box.append(list);
      checklist.append(box);
    });
  }

  function render(text, answer) {
    const points = Array.from(text);
    const file = answer.files[0];
    verdictBox.textContent = VERDICT_TEXT[answer.verdict] || answer.verdict;
    verdictBox.className = "verdict verdict-" + answer.verdict;
    renderHighlighted(points, file.findings);
    renderFindings(file.findings);
    renderChecklist(points, file.units);
    results.hidden = false;
  }

  async function check(event) {
    if (event) event.preventDefault();
    const text = draft.value;
    if (!text.trim()) {
      status.textContent = "Paste or type a draft first.";
      return;
    }
    button.disabled = true;
    status.textContent = "Checking…";
    try {
      const response = await fetch("/v1/lint", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text }),
      });
      const answer = await response.json();
      if (!response.ok) {
        status.textContent = "Error: " + ((answer.error && answer.error.message) || response.status);
        return;
      }
      render(text, answer);
      const count = answer.files[0].findings.length;
      status.textContent = count === 1 ? "1 finding" : count + " findings";
    } catch (error) {
      status.textContent = "Error: " + error;
    } finally {
      button.disabled = false;
    }
  }

  form.addEventListener("submit", check);
  draft.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) check(event);
  });
})();
