// Small progressive enhancements; every page works without them.
document.addEventListener("click", function (event) {
  const target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// A table wider than the screen scrolls inside its .table-responsive box; a keyboard user
// scrolls it once it can take focus (WCAG 2.1.1), so such a box gets tabindex=0 while it
// overflows. Checked again after an htmx swap and when the window changes size.
function markScrollableBoxes() {
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("tabindex", "0");
    } else if (box.getAttribute("tabindex") === "0") {
      box.removeAttribute("tabindex");
    }
  });
}
markScrollableBoxes();
document.body.addEventListener("htmx:afterSettle", markScrollableBoxes);
window.addEventListener("resize", markScrollableBoxes);
window.addEventListener("load", markScrollableBoxes);

// --- No silent refusal ---------------------------------------------------------------------
// An htmx request that fails (4xx/5xx, CSRF, network) says so in Vietnamese next to what the
// user acted on, with role="alert"; never nothing. A server that means its 4xx fragment to be
// shown (a form with its errors) marks it: the fragment is swapped as a 200 would be.
var HTMX_REFUSALS = {
  400: "Yêu cầu không hợp lệ nên chưa được lưu. Đề nghị đồng chí kiểm tra nội dung vừa nhập rồi thử lại.",
  403: "Thao tác không thực hiện được: phiên làm việc đã hết hạn hoặc tài khoản không có quyền này. Đề nghị đồng chí tải lại trang rồi thử lại.",
  404: "Không tìm thấy nội dung này; có thể đã bị xóa hoặc chuyển đi. Đề nghị đồng chí tải lại trang.",
  409: "Nội dung vừa được người khác thay đổi nên thao tác chưa được lưu. Đề nghị đồng chí tải lại trang để xem bản mới nhất rồi làm lại.",
  413: "Nội dung gửi lên quá lớn nên chưa được lưu. Đề nghị rút gọn hoặc đính kèm dạng tệp.",
  422: "Thông tin chưa hợp lệ nên chưa được lưu. Đề nghị đồng chí kiểm tra lại.",
  429: "Thao tác quá nhiều lần trong thời gian ngắn. Đề nghị đồng chí chờ ít phút rồi thử lại.",
};
var HTMX_SERVER_ERROR = "Hệ thống gặp lỗi nên thao tác chưa được lưu. Đề nghị đồng chí thử lại sau ít phút; nếu vẫn lỗi, báo quản trị hệ thống.";
var HTMX_NETWORK_ERROR = "Không kết nối được tới máy chủ nên thao tác chưa được lưu. Đề nghị đồng chí kiểm tra mạng rồi thử lại.";

function refusalText(status) {
  if (!status) return HTMX_NETWORK_ERROR;
  return HTMX_REFUSALS[status] || (status >= 500 ? HTMX_SERVER_ERROR : HTMX_REFUSALS[400]);
}

// Where the user acted: the form (or element) that sent the request.
function refusalAnchor(elt) {
  if (!elt || !elt.isConnected) return document.getElementById("main");
  return elt.closest("form") || elt;
}

function showRefusal(elt, text) {
  var anchor = refusalAnchor(elt);
  var box = anchor.nextElementSibling;
  if (!(box && box.classList.contains("htmx-refusal"))) {
    box = document.createElement("div");
    box.className = "alert alert-danger htmx-refusal mt-2 mb-2 small";
    box.setAttribute("role", "alert");
    box.tabIndex = -1;
    if (anchor.id === "main") {
      anchor.insertBefore(box, anchor.firstChild);
    } else {
      anchor.insertAdjacentElement("afterend", box);
    }
  }
  box.textContent = text;
  box.scrollIntoView({ block: "nearest" });
}

function clearRefusal(elt) {
  var anchor = refusalAnchor(elt);
  var box = anchor && anchor.nextElementSibling;
  if (box && box.classList.contains("htmx-refusal")) box.remove();
}

// A 4xx whose body is a fragment for the target (not a whole page) is the server's own
// answer with the reason in it: swap it like a 200. A full page (Django's 403/404/400 pages)
// or an empty body is replaced by a message.
function isFragmentAnswer(xhr) {
  var type = xhr.getResponseHeader("Content-Type") || "";
  var body = (xhr.responseText || "").trim();
  return type.indexOf("text/html") === 0 && body !== "" && !/^<!doctype|^<html/i.test(body);
}

document.body.addEventListener("htmx:beforeSwap", function (event) {
  var xhr = event.detail.xhr;
  if (xhr.status >= 400 && xhr.status < 500 && xhr.status !== 403 && isFragmentAnswer(xhr)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
document.body.addEventListener("htmx:responseError", function (event) {
  showRefusal(event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt, refusalText(event.detail.xhr.status));
});
document.body.addEventListener("htmx:sendError", function (event) {
  showRefusal(event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt, HTMX_NETWORK_ERROR);
});
document.body.addEventListener("htmx:timeout", function (event) {
  showRefusal(event.detail.elt, HTMX_NETWORK_ERROR);
});
document.body.addEventListener("htmx:afterRequest", function (event) {
  if (event.detail.successful) clearRefusal(event.detail.elt);
});

// After a full-page post that comes back with errors, the error summary is where the eye and
// the screen reader land: the first explicit summary or red alert, else a summary made from
// the fields marked invalid (each a link to its field).
function focusErrorSummary() {
  var main = document.getElementById("main");
  if (!main) return;
  function firstShown(selector) {
    return Array.prototype.find.call(main.querySelectorAll(selector), function (el) {
      return el.getClientRects().length > 0;
    });
  }
  var summary = firstShown("[data-error-summary]");
  if (!summary && !document.body.hasAttribute("data-posted")) return;
  summary = summary || firstShown(".alert-danger:not(.htmx-refusal)");
  if (!summary) {
    var invalid = Array.prototype.filter.call(main.querySelectorAll(".is-invalid"), function (el) {
      return el.getClientRects().length > 0;
    });
    if (!invalid.length) return;
    summary = document.createElement("div");
    summary.className = "alert alert-danger";
    summary.setAttribute("data-error-summary", "");
    var intro = document.createElement("p");
    intro.className = "mb-1";
    intro.textContent = "Chưa lưu được: đề nghị đồng chí sửa các ô được đánh dấu đỏ dưới đây.";
    summary.appendChild(intro);
    var list = document.createElement("ul");
    list.className = "mb-0";
    invalid.forEach(function (field) {
      var label = field.id && main.querySelector('label[for="' + field.id + '"]');
      if (!label) return;
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + field.id;
      link.textContent = label.textContent.replace(/\*\s*$/, "").trim();
      item.appendChild(link);
      list.appendChild(item);
    });
    if (list.children.length) summary.appendChild(list);
    var firstForm = invalid[0].closest("form") || invalid[0];
    firstForm.parentNode.insertBefore(summary, firstForm);
  }
  if (!summary.hasAttribute("role")) summary.setAttribute("role", "alert");
  summary.tabIndex = -1;
  summary.scrollIntoView({ block: "center" });
  summary.focus({ preventScroll: true });
}
focusErrorSummary();
