// The step-through player: frames (SVG text) and captions from the JSON beside this script.
(function () {
  var root = document.currentScript.closest(".cr-player");
  var data = JSON.parse(root.querySelector(".cr-data").textContent);
  var frames = data.frames, captions = data.captions, i = 0, timer = null;
  var view = root.querySelector(".cr-frame"), caption = root.querySelector(".cr-caption");
  var slider = root.querySelector(".cr-slider"), counter = root.querySelector(".cr-counter");
  var play = root.querySelector(".cr-play");
  function show(k) {
    i = Math.max(0, Math.min(frames.length - 1, k));
    view.innerHTML = frames[i];
    caption.textContent = captions[i];
    slider.value = i;
    counter.textContent = (i + 1) + " / " + frames.length;
  }
  function stop() {
    if (timer) { clearInterval(timer); timer = null; play.textContent = "▶ play"; }
  }
  root.querySelector(".cr-prev").onclick = function () { stop(); show(i - 1); };
  root.querySelector(".cr-next").onclick = function () { stop(); show(i + 1); };
  slider.oninput = function () { stop(); show(parseInt(slider.value, 10)); };
  play.onclick = function () {
    if (timer) { stop(); return; }
    if (i >= frames.length - 1) show(0);
    play.textContent = "❚❚ pause";
    timer = setInterval(function () { if (i >= frames.length - 1) stop(); else show(i + 1); }, data.interval);
  };
  root.tabIndex = 0;
  root.onkeydown = function (e) {
    if (e.key === "ArrowRight") { stop(); show(i + 1); } else if (e.key === "ArrowLeft") { stop(); show(i - 1); }
  };
  show(0);
})();
