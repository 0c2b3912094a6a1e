/* gcm-kg query pages: run a query, render the answer, offer downloads. No libraries. */
(function () {
  "use strict";

  var ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";

  function byId(id) { return document.getElementById(id); }

  function readJson(id, fallback) {
    var node = byId(id);
    return node ? JSON.parse(node.textContent) : fallback;
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  /* only http(s) IRIs become links (the scheme in any case, as browsers read it) */
  function linkable(iri) { return /^https?:\/\//i.test(iri); }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function cell(term) {
    var td = el("td");
    if (!term) { return td; }
    if (term.type === "uri" && linkable(term.value)) {
      var a = el("a", term.value);
      a.href = term.value;
      td.appendChild(a);
    } else if (term.type === "uri") {
      td.textContent = term.value;  /* javascript:, data:…: anyone writing data picks these */
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.appendChild(document.createTextNode(term.value));
      var tag = term["xml:lang"] ? "@" + term["xml:lang"] : "";
      if (tag) { td.appendChild(el("small", " " + tag)); }
    }
    return td;
  }

  function table(data) {
    var vars = data.head.vars, rows = data.results.bindings;
    var t = el("table"), head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", v)); });
    t.appendChild(el("thead")).appendChild(head);
    var body = t.appendChild(el("tbody"));
    rows.forEach(function (row) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      body.appendChild(tr);
    });
    return t;
  }

  function downloads(form, urlFor) {
    var box = byId("downloads"), names = (readJson("formats", {})[form]) || [];
    clear(box);
    if (!names.length) { return; }
    box.appendChild(el("span", "Download: ", "note"));
    names.forEach(function (name) {
      var a = el("a", name);
      a.href = urlFor(name);
      a.setAttribute("download", "");
      box.appendChild(a);
    });
  }

  function problem(resp, text) {
    try {
      var p = JSON.parse(text);
      return resp.status + " " + p.title + ": " + p.detail;
    } catch (e) {
      return resp.status + " " + text;
    }
  }

  function show(resp, text, ms, urlFor) {
    var status = byId("status"), results = byId("results");
    clear(status); clear(results); clear(byId("downloads"));
    if (!resp.ok) { status.appendChild(el("p", problem(resp, text), "error")); return; }
    var type = resp.headers.get("Content-Type") || "";
    var form = "GRAPH";
    if (type.indexOf("sparql-results+json") >= 0) {
      var data = JSON.parse(text);
      if (typeof data.boolean === "boolean") {
        form = "ASK";
        results.appendChild(el("p", "Answer: " + data.boolean));
      } else {
        form = "SELECT";
        var n = data.results.bindings.length;
        status.appendChild(el("p", n + " row" + (n === 1 ? "" : "s") + " in " + ms + " ms", "note"));
        results.appendChild(table(data));
      }
    } else {
      status.appendChild(el("p", "Graph (" + type + ") in " + ms + " ms", "note"));
      results.appendChild(el("pre", text));
    }
    if (resp.headers.get("Results-Truncated")) {
      status.appendChild(el("p", "The answer was cut at " + resp.headers.get("Results-Limit") +
        " rows (the endpoint's result limit); add LIMIT/OFFSET to page through it.", "warning"));
    }
    downloads(form, urlFor);
  }

  function run(url, init, urlFor) {
    var started = Date.now();
    byId("status").textContent = "Running…";
    return fetch(url, init).then(function (resp) {
      return resp.text().then(function (text) { show(resp, text, Date.now() - started, urlFor); });
    }).catch(function (err) {
      byId("status").textContent = "The request failed: " + err;
    });
  }

  function editor(form) {
    var endpoint = form.getAttribute("action");
    var examples = readJson("examples", {});
    var query = byId("query"), pick = byId("example"), note = byId("example-note");
    pick.addEventListener("change", function () {
      var ex = examples[pick.value];
      if (!ex) { return; }
      query.value = ex.sparql;
      note.hidden = ex.params.length === 0;
      clear(note);
      if (ex.params.length) {
        note.appendChild(document.createTextNode("This query takes parameters (" +
          ex.params.join(", ") + "); here they stay unbound. Run it with values at "));
        var a = el("a", ex.url);
        a.href = ex.url;
        note.appendChild(a);
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = query.value;
      var urlFor = function (name) {
        return endpoint + "?query=" + encodeURIComponent(text) + "&format=" + name;
      };
      run(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT },
        body: "query=" + encodeURIComponent(text)
      }, urlFor);
    });
    // a query given in the link (/sparql?query=…) runs at once; the example the page opens
    // with waits for the reader
    if (query.value.trim() && form.hasAttribute("data-autorun") && form.requestSubmit) {
      form.requestSubmit();
    }
  }

  var form = byId("query-form");
  if (form) { editor(form); }
  var target = document.body.getAttribute("data-run");
  if (target) {
    var urlFor = function (name) {
      return target + (target.indexOf("?") >= 0 ? "&" : "?") + "format=" + name;
    };
    run(target, { headers: { "Accept": ACCEPT } }, urlFor);
  }
}());
