"use strict";
(function () {
  var root = document.getElementById("job");
  if (!root) { return; }
  var api = root.getAttribute("data-api");
  function set(id, text) { var el = document.getElementById(id); if (el) { el.textContent = text; } }
  function render(job) {
    set("job-status", job.status);
    set("job-counts", job.done + " of " + Math.max(job.expected, job.done) + " inputs: analysed " + job.analysed +
        ", unchanged " + job.unchanged + ", rejected " + job.rejected);
    var bar = document.getElementById("job-bar");
    if (bar) { bar.max = Math.max(job.expected, job.done, 1); bar.value = job.done; }
    var list = document.getElementById("job-events");
    if (list) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      job.events.forEach(function (ev) {
        var li = document.createElement("li");
        li.className = ev.status;
        li.textContent = ev.status + ": " + ev.source + (ev.reason ? " (" + ev.reason + ")" : "");
        list.appendChild(li);
      });
    }
    if (job.error) { set("job-error", job.error); }
    if (job.status === "done" || job.status === "failed") {
      var done = document.getElementById("job-done");
      if (done) { done.hidden = false; }
      return true;
    }
    return false;
  }
  function tick() {
    fetch(api, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) { if (!render(job)) { setTimeout(tick, 600); } })
      .catch(function () { setTimeout(tick, 2000); });
  }
  tick();
})();
