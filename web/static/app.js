// Mend works without this file; it only makes a few things smoother.
"use strict";

// Quick exit: hide the page, end the session (a same-origin POST to
// /logout that the browser sends even as the page goes away), and leave for
// a neutral site, replacing this page in the history, so that the Back
// button does not return to Mend logged in. Without JavaScript the link
// still leaves at once.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.quick-exit");
  if (!link) return;
  event.preventDefault();
  document.documentElement.classList.add("leaving");
  var logOut = link.getAttribute("data-log-out");
  if (logOut) {
    var sent = false;
    try { sent = navigator.sendBeacon(logOut); } catch (e) { sent = false; }
    if (!sent && window.fetch) {
      fetch(logOut, { method: "POST", keepalive: true, credentials: "same-origin" }).catch(function () {});
    }
  }
  window.location.replace(link.href);
});

// A page of a logged-in person is never shown again from the browser's
// back-forward cache: it is hidden as it goes there and reloaded from
// Mend if it comes back, which sends a logged-out person to log in.
window.addEventListener("pagehide", function (event) {
  if (event.persisted && document.body.hasAttribute("data-signed-in")) {
    document.documentElement.classList.add("leaving");
  }
});
window.addEventListener("pageshow", function (event) {
  if (event.persisted && document.body.hasAttribute("data-signed-in")) {
    document.documentElement.classList.add("leaving");
    window.location.reload();
  }
});

// Time zone: preselect the browser's zone on forms that ask for one and that
// the person has not set yet.
document.querySelectorAll("select[data-detect-time-zone]").forEach(function (select) {
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) return;
  var found = Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
  if (!found) select.add(new Option(zone.replace(/_/g, " "), zone), 1);
  select.value = zone;
});

// Time zone: a search box above the picker that narrows the cities shown to
// those whose name (or region) holds what is typed. The chosen zone stays
// chosen while it matches; otherwise the first match is chosen.
document.querySelectorAll("select#time_zone").forEach(function (select) {
  var id = "time_zone-search";
  var label = document.createElement("label");
  label.setAttribute("for", id);
  label.textContent = "Find your city";
  var box = document.createElement("input");
  box.type = "search";
  box.id = id;
  box.autocomplete = "off";
  box.setAttribute("aria-controls", "time_zone");
  var field = select.closest(".field");
  field.insertBefore(box, select);
  field.insertBefore(label, box);
  var norm = function (s) { return s.toLowerCase().replace(/_/g, " "); };
  box.addEventListener("input", function () {
    var q = norm(box.value.trim());
    var first = null;
    Array.prototype.forEach.call(select.options, function (o) {
      var group = o.parentNode.tagName === "OPTGROUP" ? o.parentNode.label : "";
      var match = q === "" || norm(o.text + " " + group + " " + o.value).indexOf(q) >= 0;
      o.hidden = !match;
      o.disabled = !match && !o.selected;
      if (match && !first) first = o;
    });
    select.querySelectorAll("optgroup").forEach(function (g) {
      g.hidden = !Array.prototype.some.call(g.children, function (o) { return !o.hidden; });
    });
    var chosen = select.options[select.selectedIndex];
    if (first && chosen && chosen.hidden) {
      chosen.disabled = true;
      select.value = first.value;
    }
  });
});

// A form shown again with errors: move focus to its summary, so keyboard and
// screen reader users start from the list of what to fix.
var summary = document.querySelector(".alert[tabindex]");
if (summary) summary.focus();

// A quiet confirmation ("Saved.") is in the page from the start, where many
// screen readers do not announce it: say it again in an empty live region
// that takes no space, and hide the shown copy from screen readers so it is
// read once. Nothing shown is inserted, emptied or resized, so the page
// does not move under a finger as it arrives.
var flash = document.querySelector(".flash[role=status]");
var announce = document.getElementById("announce");
if (flash && announce && flash.textContent.trim()) {
  var message = flash.textContent.trim();
  flash.removeAttribute("role");
  flash.setAttribute("aria-hidden", "true");
  setTimeout(function () { announce.textContent = message; }, 150);
}

// Invite links: select the whole link on focus, and offer a Copy button.
document.querySelectorAll("input[data-select-on-focus]").forEach(function (input) {
  input.addEventListener("focus", function () { input.select(); });
});
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var input = document.getElementById(button.getAttribute("data-copy"));
    navigator.clipboard.writeText(input.value).then(function () {
      button.textContent = "Copied";
    });
  });
});

// Text limits: show how many characters are left as the person writes.
document.querySelectorAll("textarea[data-counter][maxlength]").forEach(function (area) {
  var counter = document.getElementById(area.getAttribute("data-counter"));
  var limit = parseInt(area.getAttribute("maxlength"), 10);
  if (!counter || !limit) return;
  var update = function () {
    counter.textContent = area.value.length + " / " + limit;
  };
  area.addEventListener("input", update);
  update();
});
