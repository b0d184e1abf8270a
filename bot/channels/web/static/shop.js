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

  var saved = null;
  try { saved = window.sessionStorage.getItem(KEY); } catch (e) { /* private mode */ }
  if (saved !== null) select.value = saved;
  select.addEventListener('change', function () { use(select.value); });
  use(select.value);
}());
