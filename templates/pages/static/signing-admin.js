// 签名证书与印章: the chosen files are read into hidden fields (base64), so the form posts like every other form.
(function () {
  document.querySelectorAll('form[data-signing-form]').forEach(function (form) {
    var preview = form.querySelector('[data-seal-preview]');
    form.querySelectorAll('input[data-b64-file]').forEach(function (input) {
      var target = form.querySelector('input[type=hidden][name="' + input.getAttribute('data-b64-file') + '"]');
      input.addEventListener('change', function () {
        var f = input.files && input.files[0];
        target.value = '';
        if (!f) return;
        var reader = new FileReader();
        reader.onload = function () {
          var url = String(reader.result || '');
          target.value = url.slice(url.indexOf(',') + 1);
          if (preview && target.name === 'seal') {
            preview.src = url;
            preview.hidden = false;
          }
        };
        reader.readAsDataURL(f);
      });
    });
  });
})();
