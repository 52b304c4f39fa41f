// normwatch: small progressive enhancements. Every page works without this file.
(function () {
  'use strict';

  // Figures: offer PNG next to SVG, converting the SVG on a canvas in the browser.
  document.querySelectorAll('button.png[data-svg]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var url = button.getAttribute('data-svg');
      fetch(url).then(function (r) { return r.text(); }).then(function (text) {
        var doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        var svg = doc.documentElement;
        var box = (svg.getAttribute('viewBox') || '0 0 800 400').split(/\s+/).map(Number);
        var scale = 2, width = box[2] * scale, height = box[3] * scale;
        var image = new Image();
        image.onload = function () {
          var canvas = document.createElement('canvas');
          canvas.width = width; canvas.height = height;
          var context = canvas.getContext('2d');
          context.fillStyle = '#fff'; context.fillRect(0, 0, width, height);
          context.drawImage(image, 0, 0, width, height);
          var link = document.createElement('a');
          link.download = (button.getAttribute('data-name') || 'figure') + '.png';
          link.href = canvas.toDataURL('image/png');
          document.body.appendChild(link); link.click(); link.remove();
          button.setAttribute('data-done', 'true');
        };
        image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(svg));
      });
    });
  });

  // Filter forms apply on change; the Apply button stays for keyboards and no-JS use.
  document.querySelectorAll('form[data-autosubmit]').forEach(function (form) {
    form.querySelectorAll('select').forEach(function (select) {
      select.addEventListener('change', function () { form.requestSubmit(); });
    });
  });

  // "Cite this": copy to the clipboard.
  document.querySelectorAll('button.copy[data-target]').forEach(function (button) {
    var target = document.getElementById(button.getAttribute('data-target'));
    if (!target || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(function () { button.textContent = 'Copied'; }, function () {});
    });
  });
})();
