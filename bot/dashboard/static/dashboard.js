// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // "Select all" checkbox of the registrations table.
  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      var form = box.closest("form");
      form.querySelectorAll('input[name="ids"]').forEach(function (row) {
        row.checked = box.checked;
      });
    });
  });

  // "Select all N matching" covers every page; tick the visible rows too so it shows.
  document.querySelectorAll("[data-select-matching]").forEach(function (box) {
    box.addEventListener("change", function () {
      var form = box.closest("form");
      form.querySelectorAll('input[name="ids"], [data-select-all]').forEach(function (row) {
        row.checked = box.checked;
      });
    });
  });

  // On a phone the extra filters start folded unless one of them is in use.
  if (window.matchMedia("(max-width: 760px)").matches) {
    document.querySelectorAll("details.more:not([data-keep-open])").forEach(function (box) {
      box.removeAttribute("open");
    });
  }

  // Forms that change a lot (cancel an event, close a ticket) ask first.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // On a phone the menu starts folded.
  var menu = document.querySelector("details.menu");
  if (menu && window.matchMedia("(max-width: 760px)").matches) {
    menu.removeAttribute("open");
  }

  // "Try the bot": send without reloading, keep the whole conversation on screen.
  var chatForm = document.getElementById("chat-form");
  var log = document.getElementById("chat-log");
  if (chatForm && log) {
    var add = function (who, html, cls) {
      var item = document.createElement("li");
      item.className = "msg " + cls;
      var whoSpan = document.createElement("span");
      whoSpan.className = "msg-who";
      whoSpan.textContent = who;
      var text = document.createElement("span");
      text.className = "msg-text";
      // Replies arrive sanitised by the server (bot/dashboard/telegram_html.py).
      if (html === null) { text.textContent = ""; } else { text.innerHTML = html; }
      item.appendChild(whoSpan);
      item.appendChild(text);
      log.appendChild(item);
      item.scrollIntoView({ block: "end" });
      return text;
    };
    chatForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = chatForm.querySelector('input[name="text"]');
      var message = input.value.trim();
      if (!message) { return; }
      add(log.dataset.you, null, "msg-citizen").textContent = message;
      var body = new URLSearchParams(new FormData(chatForm));
      input.value = "";
      chatForm.classList.add("busy");
      fetch(chatForm.action, {
        method: "POST",
        body: body,
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.json();
      }).then(function (data) {
        if (data.error) {
          add(log.dataset.bot, null, "msg-error").textContent = data.error;
        }
        (data.replies || []).forEach(function (reply) {
          add(log.dataset.bot, reply, "msg-staff");
        });
      }).catch(function () {
        add(log.dataset.bot, null, "msg-error").textContent = log.dataset.error;
      }).finally(function () {
        chatForm.classList.remove("busy");
        input.focus();
      });
    });
  }
})();
