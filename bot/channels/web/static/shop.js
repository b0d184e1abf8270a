/* The demo shop's login: the page asks its server for a demo customer's token and hands
 * it to the widget, as a real shop's page would for its logged-in customer. */
(function () {
  'use strict';
  var select = document.getElementById('demo-customer');
  if (!select || !window.ShopbotWidget) return;
  var KEY = 'shopbot:demo-customer';

  function use(customer) {
    try { window.sessionStorage.setItem(KEY, customer); } catch (e) { /* private mode */ }
    if (!customer) { window.ShopbotWidget.setCustomData(null); return; }
    fetch('/shop/demo-login?customer=' + encodeURIComponent(customer), { credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { window.ShopbotWidget.setCustomData(data && data.token ? { token: data.token } : null); })
      .catch(function () { window.ShopbotWidget.setCustomData(null); });
  }

  // 我的账户 → 绑定: a one-time code the customer sends as "绑定 123456" in WeChat or Telegram.
  var linkButton = document.getElementById('demo-link');
  var linkCode = document.getElementById('demo-link-code');
  if (linkButton && linkCode) {
    linkButton.addEventListener('click', function () {
      if (!select.value) { linkCode.textContent = '请先选择一个演示账号登录'; return; }
      fetch('/shop/demo-link-code?customer=' + encodeURIComponent(select.value),
            { method: 'POST', credentials: 'same-origin' })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          linkCode.textContent = data && data.code
            ? '在微信或 Telegram 里发送：绑定 ' + data.code + '（10 分钟内有效）'
            : '暂时拿不到绑定码，请稍后再试';
        })
        .catch(function () { linkCode.textContent = '暂时拿不到绑定码，请稍后再试'; });
    });
  }

  var saved = null;
  try { saved = window.sessionStorage.getItem(KEY); } catch (e) { /* private mode */ }
  if (saved !== null) select.value = saved;
  select.addEventListener('change', function () { use(select.value); });
  use(select.value);
}());
