// The public verify page: refuse an oversized or non-.json file before uploading it, so the
// visitor gets the same clear message as the server would give, without the wait.
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("verify-form");
    if (!form) return;
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 1048576;
    var errorBox = document.getElementById("verify-client-error");
    var fileInput = form.querySelector('input[type="file"]');
    var textArea = form.querySelector("textarea");

    function showError(message) {
      errorBox.textContent = message;
      errorBox.hidden = !message;
    }

    function checkFile() {
      var file = fileInput && fileInput.files && fileInput.files[0];
      if (!file) return "";
      if (!/\.json$/i.test(file.name)) return "文件类型不正确：请上传扩展名为 .json 的回执文件";
      if (file.size > maxBytes) return "文件过大（" + Math.round(file.size / 1024) + " KB）：回执文件不应超过 1 MB";
      return "";
    }

    function checkText() {
      if (!textArea || !textArea.value) return "";
      if (new Blob([textArea.value]).size > maxBytes) return "粘贴的内容过大：回执不应超过 1 MB";
      return "";
    }

    if (fileInput) {
      fileInput.addEventListener("change", function () {
        showError(checkFile());
      });
    }
    form.addEventListener("submit", function (event) {
      var problem = checkFile() || (fileInput && fileInput.files && fileInput.files.length ? "" : checkText());
      if (problem) {
        event.preventDefault();
        showError(problem);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
