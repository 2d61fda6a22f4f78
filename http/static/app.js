// Hark's only script: play buttons feed one audio player docked at the bottom of the window.
// Without it, a play button is a plain link to the audio file.
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
