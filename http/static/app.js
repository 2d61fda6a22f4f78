// Hark's script. Play buttons feed one audio player docked at the bottom of the window; without
// it, a play button is a plain link to the audio file. Search boxes suggest terms and shows as
// the user types; without it, they are plain forms.
(function () {
  "use strict";
  var dock = document.getElementById("dock");
  if (!dock) return;
  var audio = dock.querySelector("audio");
  var now = dock.querySelector(".now");
  var current = null;

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest("a.play[data-audio]");
    if (!button) return;
    ev.preventDefault();
    if (current === button && !audio.paused) {
      audio.pause();
      return;
    }
    if (current !== button) {
      if (current) current.classList.remove("playing");
      current = button;
      audio.src = button.getAttribute("data-audio");
      now.textContent = button.getAttribute("data-title") || "";
    }
    dock.hidden = false;
    audio.play();
  });

  audio.addEventListener("play", function () { if (current) current.classList.add("playing"); });
  audio.addEventListener("pause", function () { if (current) current.classList.remove("playing"); });
})();

(function () {
  "use strict";
  var inputs = document.querySelectorAll('form.search-box input[name="q"]');
  Array.prototype.forEach.call(inputs, function (input, i) {
    var list = document.createElement("datalist");
    list.id = "suggestions-" + i;
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    input.parentNode.insertBefore(list, input.nextSibling);
    var timer = null, asked = "", shows = {};

    input.addEventListener("input", function () {
      if (Object.prototype.hasOwnProperty.call(shows, input.value)) {
        window.location.href = shows[input.value]; // a show picked from the list
        return;
      }
      var q = input.value.trim();
      clearTimeout(timer);
      if (q.length < 2 || q === asked) return;
      timer = setTimeout(function () {
        asked = q;
        fetch("/suggest?q=" + encodeURIComponent(q))
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (s) {
            if (!s || input.value.trim() !== q) return; // the user typed on
            list.textContent = "";
            shows = {};
            s.terms.forEach(function (t) {
              var o = document.createElement("option");
              o.value = t;
              list.appendChild(o);
            });
            s.podcasts.forEach(function (p) {
              var o = document.createElement("option");
              o.value = p.title;
              o.label = "Podcast";
              shows[p.title] = p.url;
              list.appendChild(o);
            });
          })
          .catch(function () {}); // no suggestions; the form still searches
      }, 120);
    });
  });
})();
