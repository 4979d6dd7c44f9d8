// Small progressive enhancements; every page works without them.
(function () {
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      if (!window.confirm(form.getAttribute('data-confirm'))) e.preventDefault();
    });
  });
  // CSV import: read the chosen file into the textarea so it is posted with the form.
  document.querySelectorAll('[data-csv-form]').forEach(function (form) {
    var file = form.querySelector('[data-csv-file]');
    var text = form.querySelector('textarea[name=csv]');
    if (!file || !text) return;
    file.addEventListener('change', function () {
      var f = file.files && file.files[0];
      if (!f) return;
      var reader = new FileReader();
      reader.onload = function () {
        text.value = String(reader.result || '');
      };
      reader.readAsText(f, 'utf-8');
    });
  });
})();
