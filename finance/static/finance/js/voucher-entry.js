// The voucher (and opening-balance) entry grid: keyboard-first, account autocomplete, live totals.
// Wired by data attributes (no inline script: CSP). Money is summed in whole fen (integers), never
// as binary floating point.
(function () {
  "use strict";
  var form = document.querySelector("[data-voucher-entry]");
  if (!form) { return; }
  var body = form.querySelector("[data-lines]");
  var template = document.getElementById("line-template");
  var totalForms = form.querySelector('input[name$="-TOTAL_FORMS"]');
  var searchUrl = form.getAttribute("data-search-url");
  var cooperative = form.getAttribute("data-cooperative");
  var totalDebit = form.querySelector("[data-total-debit]");
  var totalCredit = form.querySelector("[data-total-credit]");
  var difference = form.querySelector("[data-difference]");

  // "1,234.5" → 123450 fen; null when not a valid amount. Commas only between groups of three
  // digits, as the server reads them (core.money.plain_decimal); "1,23" is not an amount.
  function toFen(text) {
    var v = (text || "").trim();
    if (v === "") { return 0; }
    if (v.indexOf(",") >= 0) {
      if (!/^-?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/.test(v)) { return null; }
      v = v.replace(/,/g, "");
    }
    var m = /^(-?)(\d*)(?:\.(\d{0,2}))?$/.exec(v);
    if (!m || (m[2] === "" && !m[3])) { return null; }
    var fen = parseInt(m[2] || "0", 10) * 100 + parseInt(((m[3] || "") + "00").slice(0, 2), 10);
    return m[1] ? -fen : fen;
  }
  function fromFen(fen) {
    var sign = fen < 0 ? "-" : "";
    var abs = Math.abs(fen);
    var yuan = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var cents = String(abs % 100);
    return sign + yuan + "." + (cents.length < 2 ? "0" + cents : cents);
  }
  function plain(fen) { return fromFen(fen).replace(/,/g, ""); }
  function normalise(input) {
    var fen = toFen(input.value);
    if (fen !== null && input.value.trim() !== "") { input.value = plain(fen); }
  }

  function rows() { return Array.prototype.slice.call(body.querySelectorAll("[data-line]")); }
  function cells() {
    return Array.prototype.slice.call(body.querySelectorAll("input:not([type=hidden]), select"));
  }
  // the header's fields (date, summary, attachments) and then the grid's cells, in tab order; the
  // payee's fields below the grid are a stop of their own (Alt+P), so the grid still grows at its end
  function fields() {
    return Array.prototype.slice.call(form.querySelectorAll("input:not([type=hidden]):not([data-payee]), select:not([data-payee])"));
  }
  function payeeFields() {
    return Array.prototype.slice.call(form.querySelectorAll("[data-payee]"));
  }

  function recalc() {
    var d = 0, c = 0;
    rows().forEach(function (row) {
      var dv = toFen(row.querySelector('[data-amount="debit"]').value);
      var cv = toFen(row.querySelector('[data-amount="credit"]').value);
      d += dv || 0;
      c += cv || 0;
    });
    totalDebit.textContent = fromFen(d);
    totalCredit.textContent = fromFen(c);
    difference.textContent = fromFen(d - c);
    difference.classList.toggle("is-off", d !== c);
    return { debit: d, credit: c };
  }

  function renumber() {
    rows().forEach(function (row, i) {
      var n = row.querySelector("[data-line-no]");
      if (n) { n.textContent = String(i + 1); }
    });
  }

  function addLine() {
    var index = parseInt(totalForms.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("tbody");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    body.appendChild(row);
    totalForms.value = String(index + 1);
    renumber();
    return row;
  }

  function focusCell(el) {
    if (!el) { return; }
    el.focus();
    if (el.select && el.tagName === "INPUT") { el.select(); }
  }

  function nextCell(current) {
    var all = fields();
    var i = all.indexOf(current);
    if (i >= 0 && i < all.length - 1) { return all[i + 1]; }
    var row = addLine();
    return row.querySelector("input:not([type=hidden]), select");
  }

  // --- the account autocomplete ------------------------------------------------------------
  var list = null, options = [], active = -1, owner = null, timer = null, serial = 0;

  function closeList() {
    if (list && list.parentNode) { list.parentNode.removeChild(list); }
    if (owner) { owner.setAttribute("aria-expanded", "false"); owner.removeAttribute("aria-activedescendant"); }
    list = null; options = []; active = -1; owner = null;
  }
  function choose(i) {
    if (!owner || !options[i]) { return; }
    owner.value = options[i].label;
    closeList();
  }
  function highlight(i) {
    if (!list) { return; }
    var items = list.querySelectorAll("li");
    active = Math.max(0, Math.min(i, items.length - 1));
    Array.prototype.forEach.call(items, function (li, k) { li.setAttribute("aria-selected", k === active ? "true" : "false"); });
    if (items[active]) {
      owner.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }
  }
  function showList(input, results) {
    closeList();
    if (!results.length) { return; }
    owner = input;
    options = results;
    list = document.createElement("ul");
    list.className = "account-options";
    list.setAttribute("role", "listbox");
    list.id = input.id + "-options";
    results.forEach(function (r, k) {
      var li = document.createElement("li");
      li.id = list.id + "-" + k;
      li.setAttribute("role", "option");
      li.textContent = r.label;
      var py = document.createElement("span");
      py.className = "pinyin";
      py.textContent = r.pinyin;
      li.appendChild(py);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(k); });
      list.appendChild(li);
    });
    // fixed to the viewport under the input, so the grid's scroll box never clips it
    var box = input.getBoundingClientRect();
    list.style.top = box.bottom + "px";
    list.style.left = box.left + "px";
    list.style.minWidth = box.width + "px";
    document.body.appendChild(list);
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "true");
    highlight(0);
  }
  function search(input) {
    var q = input.value.trim();
    if (!q) { closeList(); return; }
    var mine = ++serial;
    var url = searchUrl + "?cooperative=" + encodeURIComponent(cooperative) + "&q=" + encodeURIComponent(q);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) { if (mine === serial && document.activeElement === input) { showList(input, data.results || []); } })
      .catch(function () { closeList(); });
  }

  form.addEventListener("input", function (e) {
    var t = e.target;
    if (t.hasAttribute("data-account")) {
      clearTimeout(timer);
      timer = setTimeout(function () { search(t); }, 120);
    }
    if (t.hasAttribute("data-amount")) { recalc(); }
  });
  window.addEventListener("scroll", function (e) { if (list && e.target !== list) { closeList(); } }, true);
  window.addEventListener("resize", function () { closeList(); });

  form.addEventListener("focusout", function (e) {
    if (e.target === owner) { setTimeout(closeList, 150); }
    if (e.target.hasAttribute && e.target.hasAttribute("data-amount")) {
      normalise(e.target);
      recalc();
    }
  });
  // an amount the grid reads leaves as plain digits ("1234.50"), also when Ctrl+S sends the voucher
  // from the cell being typed in; one it cannot read is sent as typed, and the server says why
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.querySelectorAll("[data-amount]"), normalise);
  });
  form.addEventListener("focusin", function (e) {
    var t = e.target;
    // a new line's summary starts as the line above's (or the voucher's) summary
    if (t.hasAttribute && t.hasAttribute("data-summary") && !t.value) {
      var row = t.closest("[data-line]");
      var prev = row && row.previousElementSibling;
      var source = prev ? prev.querySelector("[data-summary]") : null;
      var header = form.querySelector('input[name="summary"]');
      t.value = (source && source.value) || (header && header.value) || "";
      if (t.select) { t.select(); }
    }
  });

  form.addEventListener("keydown", function (e) {
    var t = e.target;
    if ((e.ctrlKey || e.metaKey) && (e.key === "s" || e.key === "S")) {
      e.preventDefault();
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      return;
    }
    if (e.altKey && (e.key === "p" || e.key === "P")) {
      e.preventDefault();
      focusCell(payeeFields()[0]);
      return;
    }
    // Enter in the payee's fields moves on through them, then to the Save button
    if (e.key === "Enter" && t.hasAttribute && t.hasAttribute("data-payee")) {
      e.preventDefault();
      var payee = payeeFields();
      var k = payee.indexOf(t);
      focusCell(k < payee.length - 1 ? payee[k + 1] : form.querySelector("[data-save]"));
      return;
    }
    if (e.altKey && (e.key === "n" || e.key === "N")) {
      e.preventDefault();
      focusCell(addLine().querySelector("input:not([type=hidden]), select"));
      return;
    }
    if (list && t === owner) {
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(active + 1); return; }
      if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); return; }
      if (e.key === "Escape") { e.preventDefault(); closeList(); return; }
      if (e.key === "Enter" || e.key === "Tab") { choose(active); }
    }
    if (t.hasAttribute && t.hasAttribute("data-amount") && e.key === "=") {
      // "=" fills the amount that balances the voucher
      e.preventDefault();
      t.value = "";
      var totals = recalc();
      var gap = t.getAttribute("data-amount") === "debit" ? totals.credit - totals.debit : totals.debit - totals.credit;
      if (gap > 0) { t.value = plain(gap); }
      recalc();
      return;
    }
    // Enter moves on, as Tab does, in the header too: it never sends a half-entered voucher
    if (e.key === "Enter" && (t.tagName === "INPUT" || t.tagName === "SELECT") && fields().indexOf(t) >= 0) {
      e.preventDefault();
      focusCell(nextCell(t));
    }
  });

  form.addEventListener("click", function (e) {
    var add = e.target.closest("[data-add-line]");
    if (add) {
      e.preventDefault();
      focusCell(addLine().querySelector("input:not([type=hidden]), select"));
      return;
    }
    var remove = e.target.closest("[data-remove-line]");
    if (remove) {
      // a removed line is emptied, not taken out of the formset, so the indexes stay valid
      var row = remove.closest("[data-line]");
      Array.prototype.forEach.call(row.querySelectorAll("input:not([type=hidden]), select"), function (el) { el.value = ""; });
      recalc();
    }
  });

  recalc();

  // The cursor starts where the accountant types first: a field the server marked wrong, else the
  // voucher's summary (the date defaults to today), else the grid's first cell. Not on a touch
  // screen, where focusing would pop up the on-screen keyboard over the page.
  var start = form.querySelector(".is-invalid") || form.querySelector('input[name="summary"]') || cells()[0];
  var idle = !document.activeElement || document.activeElement === document.body;
  if (start && idle && window.matchMedia && window.matchMedia("(pointer: fine)").matches) { start.focus(); }
})();
