/*!
 * shopbot web chat widget — plain ES2017, no build step, no CDN.
 *
 * Embed:  <div id="shopbot-widget"></div>
 *         <script src="http://HOST:5005/shop/widget.js" data-socket-url="http://HOST:5005"></script>
 *
 * Speaks Rasa's socketio protocol (session_request / session_confirm,
 * user_uttered / bot_uttered).  Every piece of message text is put into the
 * page with textContent, never as HTML.  Options: docs/widget.md.
 */
(function () {
  'use strict';

  if (window.ShopbotWidget && window.ShopbotWidget.version) {
    return; // the script was included twice
  }

  var VERSION = '1.0.0';
  var HISTORY_LIMIT = 200;
  var MAX_INPUT_CHARS = 1000;
  var TYPING_TIMEOUT_MS = 30000;
  var RELAXED_NAMES = {
    budget: '预算', price: '价格', color: '颜色', colour: '颜色', size: '尺码', brand: '品牌',
    category: '品类', stock: '库存', style: '款式', feature: '功能', tags: '特点'
  };

  var currentScript = document.currentScript ||
    document.querySelector('script[src*="widget.js"][data-socket-url]') ||
    document.querySelector('script[src*="/shop/widget.js"]');

  function scriptBase() {
    try {
      return new URL('.', currentScript && currentScript.src ? currentScript.src : window.location.href).href;
    } catch (e) {
      return '/shop/';
    }
  }

  function defaultOptions() {
    var data = (currentScript && currentScript.dataset) || {};
    var base = scriptBase();
    return {
      socketUrl: data.socketUrl || new URL(base).origin,
      socketPath: data.socketPath || '/socket.io/',
      assetsUrl: data.assetsUrl || base,
      container: data.container || 'shopbot-widget',
      title: data.title || '智能导购',
      subtitle: data.subtitle !== undefined ? data.subtitle : '帮您挑选好物、解答售前售后问题',
      greeting: data.greeting !== undefined ? data.greeting
        : '您好！我是智能导购😊 想买点什么？告诉我品类、预算、品牌或尺码，我来帮您挑。',
      open: data.open === 'true',
      embedded: data.embedded === 'true',
      storagePrefix: data.storagePrefix || 'shopbot',
      // socket.io transports; "websocket" alone needs no CORS on the bot server for another origin
      transportsGiven: !!data.transports,
      transports: (data.transports || 'polling,websocket').split(',').map(function (t) { return t.trim(); })
        .filter(function (t) { return t === 'polling' || t === 'websocket'; }),
      autoInit: data.autoInit !== 'false'
    };
  }

  // ---------------------------------------------------------------- storage

  var memoryStore = {};
  function storageGet(area, key) {
    try {
      return window[area].getItem(key);
    } catch (e) {
      return Object.prototype.hasOwnProperty.call(memoryStore, area + key) ? memoryStore[area + key] : null;
    }
  }
  function storageSet(area, key, value) {
    try {
      if (value === null) window[area].removeItem(key); else window[area].setItem(key, value);
    } catch (e) {
      if (value === null) delete memoryStore[area + key]; else memoryStore[area + key] = value;
    }
  }

  function newId() {
    try {
      if (window.crypto && typeof window.crypto.randomUUID === 'function') {
        return window.crypto.randomUUID().replace(/-/g, '');
      }
      if (window.crypto && window.crypto.getRandomValues) {
        var bytes = new Uint8Array(16);
        window.crypto.getRandomValues(bytes);
        return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
      }
    } catch (e) { /* fall through */ }
    return Date.now().toString(16) + Math.random().toString(16).slice(2);
  }

  // ---------------------------------------------------------------- DOM helpers

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function asText(value) {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && isFinite(value)) return String(value);
    return '';
  }

  /** An http(s) URL for an image, resolved against the bot server, or null. */
  function safeUrl(value, base) {
    if (typeof value !== 'string' || !value.trim()) return null;
    try {
      var url = new URL(value.trim(), base);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function formatPrice(value) {
    var price = Number(value);
    if (!isFinite(price) || price < 0) return '';
    return '¥' + (Math.round(price) === price ? String(price) : price.toFixed(2));
  }

  // ---------------------------------------------------------------- rendering (pure: message → nodes)

  function renderText(text, who) {
    var bubble = el('div', 'sbw-msg sbw-msg-' + who);
    bubble.appendChild(el('div', 'sbw-bubble', text));
    return bubble;
  }

  function renderCard(product, base) {
    var card = el('article', 'sbw-card');
    var src = safeUrl(product.image, base);
    if (src) {
      var img = el('img', 'sbw-card-image');
      img.alt = asText(product.title);
      img.decoding = 'async';
      img.src = src;
      card.appendChild(img);
    } else {
      card.appendChild(el('div', 'sbw-card-image sbw-card-noimage', asText(product.category) || '商品'));
    }
    var body = el('div', 'sbw-card-body');
    body.appendChild(el('div', 'sbw-card-title', asText(product.title)));
    var meta = [asText(product.brand), asText(product.category)].filter(Boolean).join(' · ');
    if (meta) body.appendChild(el('div', 'sbw-card-meta', meta));
    var price = formatPrice(product.price);
    if (price) body.appendChild(el('div', 'sbw-card-price', price));
    var stock = Number(product.stock);
    if (isFinite(stock) && product.stock !== undefined && product.stock !== null) {
      if (stock <= 0) body.appendChild(el('div', 'sbw-card-stock sbw-out', '暂时缺货'));
      else if (stock < 10) body.appendChild(el('div', 'sbw-card-stock', '仅剩 ' + stock + ' 件'));
    }
    if (Array.isArray(product.colors) && product.colors.length) {
      body.appendChild(el('div', 'sbw-card-options', '颜色：' + product.colors.map(asText).filter(Boolean).slice(0, 5).join(' / ')));
    }
    var reason = asText(product.reason);
    if (reason) {
      var why = el('div', 'sbw-card-reason');
      why.appendChild(el('span', 'sbw-card-reason-label', '推荐理由'));
      why.appendChild(el('span', 'sbw-card-reason-text', reason));
      body.appendChild(why);
    }
    var id = asText(product.id), title = asText(product.title);
    if (id && title) { // what WeChat's numbered choice and Telegram's 选这款 send (bot/channels/rendering.py)
      var choose = el('button', 'sbw-card-choose', '选这款');
      choose.type = 'button';
      choose.setAttribute('data-choice', '我想了解这款：' + title + '（' + id + '）');
      choose.setAttribute('data-title', title);
      body.appendChild(choose);
    }
    card.appendChild(body);
    return card;
  }

  function relaxedNote(relaxed) {
    var names = (Array.isArray(relaxed) ? relaxed : [relaxed]).map(function (key) {
      var name = asText(key);
      return RELAXED_NAMES[name] || name;
    }).filter(Boolean);
    return '没有找到完全符合条件的商品，以下推荐已放宽' + (names.length ? '：' + names.join('、') : '部分条件');
  }

  function renderProductCards(payload, base) {
    var wrap = el('div', 'sbw-msg sbw-msg-bot sbw-msg-cards');
    if (payload.relaxed && (!Array.isArray(payload.relaxed) || payload.relaxed.length)) {
      wrap.appendChild(el('div', 'sbw-note', relaxedNote(payload.relaxed)));
    }
    var list = el('div', 'sbw-cards');
    var products = Array.isArray(payload.products) ? payload.products : [];
    products.forEach(function (product) {
      if (product && typeof product === 'object') list.appendChild(renderCard(product, base));
    });
    if (!list.childNodes.length) {
      wrap.appendChild(el('div', 'sbw-bubble', '暂时没有找到合适的商品。'));
    } else {
      wrap.appendChild(list);
    }
    return wrap;
  }

  /** Quick replies of a bot message: Rasa's `quick_replies`, or `buttons`. */
  function quickReplies(msg) {
    var list = Array.isArray(msg.quick_replies) ? msg.quick_replies : (Array.isArray(msg.buttons) ? msg.buttons : []);
    return list.filter(function (b) { return b && typeof b === 'object' && asText(b.title); }).map(function (b) {
      return { title: asText(b.title), payload: asText(b.payload) || asText(b.title) };
    });
  }

  /** The nodes one bot_uttered payload becomes (text, cards, image); unknown parts are skipped. */
  function renderBotNodes(msg, base) {
    var nodes = [];
    if (!msg || typeof msg !== 'object') return nodes;
    var text = asText(msg.text);
    if (text) {
      var bubble = renderText(text, 'bot');
      if (asText(msg.agent)) { // a person's reply (the console), labelled with their name
        bubble.className += ' sbw-msg-agent';
        bubble.insertBefore(el('div', 'sbw-agent-name', '人工客服 ' + asText(msg.agent)), bubble.firstChild);
      }
      nodes.push(bubble);
    }
    var custom = msg.custom && typeof msg.custom === 'object' ? msg.custom : (msg.type === 'product_cards' ? msg : null);
    if (custom && custom.type === 'product_cards') {
      nodes.push(renderProductCards(custom, base));
    } else if (custom && asText(custom.text)) {
      nodes.push(renderText(asText(custom.text), 'bot'));
    }
    var image = msg.attachment && msg.attachment.type === 'image' && msg.attachment.payload
      ? msg.attachment.payload.src : msg.image;
    var src = safeUrl(image, base);
    if (src) {
      var wrap = el('div', 'sbw-msg sbw-msg-bot');
      var img = el('img', 'sbw-image');
      img.alt = '图片';
      img.src = src;
      wrap.appendChild(img);
      nodes.push(wrap);
    }
    if (!nodes.length && quickReplies(msg).length) {
      nodes.push(renderText('请选择：', 'bot'));
    }
    return nodes;
  }

  // ---------------------------------------------------------------- the widget

  function Widget(options) {
    this.options = Object.assign(defaultOptions(), options || {});
    this.socket = null;
    this.sessionId = null;
    this.confirmed = false;
    this.outbox = []; // messages typed before the session was confirmed
    this.typingTimer = null;
    this.keys = {
      session: this.options.storagePrefix + ':session',
      open: this.options.storagePrefix + ':open'
    };
  }

  Widget.prototype.historyKey = function (sessionId) {
    return this.options.storagePrefix + ':history:' + sessionId;
  };

  Widget.prototype.loadHistory = function (sessionId) {
    if (!sessionId) return [];
    try {
      var entries = JSON.parse(storageGet('localStorage', this.historyKey(sessionId)) || '[]');
      return Array.isArray(entries) ? entries.filter(function (e) { return e && (e.who === 'user' || e.who === 'bot'); }) : [];
    } catch (e) {
      return [];
    }
  };

  Widget.prototype.remember = function (entry) {
    if (!this.sessionId) {
      this.pendingHistory = (this.pendingHistory || []).concat([entry]);
      return;
    }
    var entries = this.loadHistory(this.sessionId).concat([entry]).slice(-HISTORY_LIMIT);
    try {
      storageSet('localStorage', this.historyKey(this.sessionId), JSON.stringify(entries));
    } catch (e) { /* history is a convenience */ }
  };

  Widget.prototype.mount = function () {
    var options = this.options;
    var root = document.getElementById(options.container);
    if (!root) {
      root = el('div');
      root.id = options.container;
      document.body.appendChild(root);
    }
    root.classList.add('sbw-root');
    if (options.embedded) root.classList.add('sbw-embedded');
    root.setAttribute('lang', 'zh-CN');
    this.root = root;

    var launcher = el('button', 'sbw-launcher');
    launcher.type = 'button';
    launcher.setAttribute('aria-label', '打开' + options.title);
    launcher.appendChild(el('span', 'sbw-launcher-icon'));
    launcher.appendChild(el('span', 'sbw-launcher-text', '导购'));

    var panel = el('section', 'sbw-panel');
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', options.title);

    var header = el('header', 'sbw-header');
    var heading = el('div', 'sbw-heading');
    heading.appendChild(el('div', 'sbw-title', options.title));
    this.status = el('div', 'sbw-status', '连接中…');
    heading.appendChild(this.status);
    var close = el('button', 'sbw-close', '×');
    close.type = 'button';
    close.setAttribute('aria-label', '关闭');
    header.appendChild(el('div', 'sbw-avatar', '导'));
    header.appendChild(heading);
    header.appendChild(close);

    this.messages = el('div', 'sbw-messages');
    this.messages.setAttribute('role', 'log');
    this.messages.setAttribute('aria-live', 'polite');
    if (options.subtitle) this.messages.appendChild(el('div', 'sbw-intro', options.subtitle));

    this.typing = el('div', 'sbw-msg sbw-msg-bot sbw-typing');
    this.typing.setAttribute('aria-label', '正在输入…');
    var dots = el('div', 'sbw-bubble sbw-dots');
    dots.appendChild(el('i'));
    dots.appendChild(el('i'));
    dots.appendChild(el('i'));
    this.typing.appendChild(dots);
    this.typing.hidden = true;

    this.quick = el('div', 'sbw-quick');

    var form = el('form', 'sbw-form');
    form.setAttribute('autocomplete', 'off');
    this.input = el('textarea', 'sbw-input');
    this.input.rows = 1;
    this.input.maxLength = MAX_INPUT_CHARS;
    this.input.placeholder = '输入消息…';
    this.input.setAttribute('aria-label', '输入消息');
    this.input.setAttribute('enterkeyhint', 'send');
    this.sendButton = el('button', 'sbw-send', '发送');
    this.sendButton.type = 'submit';
    form.appendChild(this.input);
    form.appendChild(this.sendButton);

    panel.appendChild(header);
    panel.appendChild(this.messages);
    panel.appendChild(this.quick);
    panel.appendChild(form);
    root.appendChild(launcher);
    root.appendChild(panel);

    var self = this;
    launcher.addEventListener('click', function () { self.setOpen(true); });
    // a card's 选这款: delegated, cards arrive long after mount
    this.messages.addEventListener('click', function (event) {
      var button = event.target && event.target.closest ? event.target.closest('.sbw-card-choose') : null;
      if (button) self.send(button.getAttribute('data-choice'), '选这款：' + button.getAttribute('data-title'));
    });
    close.addEventListener('click', function () { self.setOpen(false); });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      self.send(self.input.value);
    });
    this.input.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        self.send(self.input.value);
      }
    });

    var stored = storageGet('sessionStorage', this.keys.open);
    this.setOpen(options.embedded || (stored === null ? options.open : stored === '1'));
    this.restore();
  };

  Widget.prototype.setOpen = function (open) {
    this.root.classList.toggle('sbw-open', !!open);
    if (!this.options.embedded) storageSet('sessionStorage', this.keys.open, open ? '1' : '0');
    if (open) {
      this.scrollDown();
      if (window.matchMedia && !window.matchMedia('(max-width: 600px)').matches) this.input.focus();
    }
  };

  Widget.prototype.restore = function () {
    var sessionId = storageGet('localStorage', this.keys.session);
    var entries = this.loadHistory(sessionId);
    var self = this;
    if (this.options.greeting) {
      this.appendNodes([renderText(this.options.greeting, 'bot')]); // shown every time, never stored
    }
    entries.forEach(function (entry, index) {
      if (entry.who === 'user') self.appendNodes([renderText(asText(entry.text), 'user')]);
      else self.appendNodes(renderBotNodes(entry.msg, self.options.socketUrl));
      if (index === entries.length - 1 && entry.who === 'bot') self.showQuickReplies(quickReplies(entry.msg || {}));
    });
    this.sessionId = null; // set once the server confirms the session; nothing is stored before
    this.requestedSession = sessionId || null;
  };

  Widget.prototype.appendNodes = function (nodes) {
    var self = this;
    var keepDown = function () {
      // images arrive after the text: stay at the bottom unless the customer scrolled up to read
      var box = self.messages;
      if (box.scrollHeight - box.scrollTop - box.clientHeight < 400) self.scrollDown();
    };
    nodes.forEach(function (node) {
      self.messages.insertBefore(node, self.typing.parentNode ? self.typing : null);
      Array.prototype.forEach.call(node.querySelectorAll('img'), function (img) {
        img.addEventListener('load', keepDown, { once: true });
      });
    });
    if (!this.typing.parentNode) this.messages.appendChild(this.typing);
    this.scrollDown();
  };

  Widget.prototype.scrollDown = function () {
    this.messages.scrollTop = this.messages.scrollHeight;
  };

  Widget.prototype.showQuickReplies = function (replies) {
    var self = this;
    this.quick.textContent = '';
    replies.forEach(function (reply) {
      var button = el('button', 'sbw-quick-reply', reply.title);
      button.type = 'button';
      button.addEventListener('click', function () { self.send(reply.payload, reply.title); });
      self.quick.appendChild(button);
    });
    this.quick.classList.toggle('sbw-has-replies', replies.length > 0);
  };

  Widget.prototype.setTyping = function (on) {
    var self = this;
    clearTimeout(this.typingTimer);
    this.typing.hidden = !on;
    if (on) {
      this.messages.appendChild(this.typing); // keep it last
      this.scrollDown();
      this.typingTimer = setTimeout(function () { self.setTyping(false); }, TYPING_TIMEOUT_MS);
    }
  };

  Widget.prototype.setStatus = function (text, state) {
    this.status.textContent = text;
    this.root.setAttribute('data-state', state);
  };

  Widget.prototype.emitEvent = function (name, detail) {
    try {
      this.root.dispatchEvent(new CustomEvent('shopbot:' + name, { detail: detail, bubbles: true }));
    } catch (e) { /* old browsers */ }
  };

  /** Renders one bot_uttered payload (and keeps it in the history unless told otherwise). */
  Widget.prototype.renderBotMessage = function (msg, options) {
    var nodes = renderBotNodes(msg, this.options.socketUrl);
    this.appendNodes(nodes);
    this.showQuickReplies(quickReplies(msg || {}));
    if (!options || options.store !== false) this.remember({ who: 'bot', msg: msg });
    this.emitEvent('message', { who: 'bot', msg: msg });
    return nodes;
  };

  Widget.prototype.renderUserMessage = function (text, options) {
    var nodes = [renderText(text, 'user')];
    this.appendNodes(nodes);
    if (!options || options.store !== false) this.remember({ who: 'user', text: text });
    this.emitEvent('message', { who: 'user', text: text });
    return nodes;
  };

  Widget.prototype.send = function (payload, shown) {
    var message = asText(payload);
    if (!message.trim()) return false;
    message = message.slice(0, MAX_INPUT_CHARS);
    this.input.value = '';
    this.showQuickReplies([]);
    this.renderUserMessage(shown === undefined ? message : shown);
    this.setTyping(true);
    var packet = { message: message, message_id: newId() };
    // Rasa Webchat's customData: the shop's customer token travels here (customer-identity.md)
    if (customData) packet.customData = customData;
    if (this.confirmed) this.emitMessage(packet); else this.outbox.push(packet);
    return true;
  };

  Widget.prototype.emitMessage = function (packet) {
    var self = this;
    packet.session_id = this.sessionId;
    // With `retries`, socket.io resends until the server acknowledges; the
    // server drops a message_id it has already taken, so nothing runs twice.
    this.socket.emit('user_uttered', packet, function (err) {
      if (err) {
        self.setTyping(false);
        self.renderBotMessage({ text: '网络不太稳定，消息没有发出去，请稍后再试。' }, { store: false });
      }
    });
  };

  Widget.prototype.confirmSession = function (sessionId) {
    var previous = this.requestedSession;
    if (previous && previous !== sessionId) {
      storageSet('localStorage', this.historyKey(previous), null); // the server started a new conversation
    }
    this.sessionId = sessionId;
    this.requestedSession = sessionId;
    storageSet('localStorage', this.keys.session, sessionId);
    var self = this;
    (this.pendingHistory || []).forEach(function (entry) { self.remember(entry); });
    this.pendingHistory = [];
    this.confirmed = true;
    this.setStatus('在线', 'online');
    var outbox = this.outbox;
    this.outbox = [];
    outbox.forEach(function (packet) { self.emitMessage(packet); });
    this.emitEvent('ready', { sessionId: sessionId });
  };

  Widget.prototype.connect = function () {
    var self = this;
    var options = this.options;
    if (typeof window.io !== 'function') {
      this.setStatus('聊天组件加载失败，请刷新页面', 'error');
      return;
    }
    var socket = window.io(options.socketUrl, {
      path: options.socketPath,
      transports: options.transports && options.transports.length ? options.transports : ['polling', 'websocket'],
      ackTimeout: 15000,
      retries: 3,
      reconnectionDelayMax: 5000
    });
    this.socket = socket;
    socket.on('connect', function () {
      self.confirmed = false;
      self.setStatus('连接中…', 'connecting');
      // Not volatile: a volatile packet is dropped while a long-polling request is in flight.
      // A message still in socket.io's retry queue may reach the server first; the server
      // then joins this connection to the message's session itself.
      socket.emit('session_request', { session_id: self.requestedSession || null });
    });
    socket.on('session_confirm', function (data) {
      var sessionId = typeof data === 'string' ? data : (data && typeof data.session_id === 'string' ? data.session_id : null);
      if (sessionId) self.confirmSession(sessionId);
    });
    socket.on('bot_uttered', function (msg) {
      self.setTyping(false);
      self.renderBotMessage(msg);
    });
    socket.on('disconnect', function () {
      self.confirmed = false;
      self.setStatus('连接中断，正在重连…', 'offline');
    });
    socket.on('connect_error', function () {
      self.setStatus('暂时连不上，正在重试…', 'offline');
      if (!options.transportsGiven) {
        // Long-polling from another origin needs CORS on the bot server (rasa run --cors);
        // a websocket does not, but some proxies block it: alternate until one works.
        var current = socket.io.opts.transports;
        socket.io.opts.transports = current[0] === 'polling' ? ['websocket'] : ['polling', 'websocket'];
      }
    });
  };

  Widget.prototype.start = function () {
    var self = this;
    this.mount();
    loadStylesheet(this.options.assetsUrl + 'widget.css');
    loadScript(this.options.assetsUrl + 'socket.io.min.js', function () { self.connect(); });
    return this;
  };

  function loadStylesheet(href) {
    var exists = Array.prototype.some.call(document.querySelectorAll('link[rel="stylesheet"]'), function (link) {
      return link.href === href;
    });
    if (exists) return;
    var link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    document.head.appendChild(link);
  }

  var pendingScripts = {};
  function loadScript(src, done) {
    if (typeof window.io === 'function') {
      done();
      return;
    }
    if (pendingScripts[src]) { // already being fetched
      pendingScripts[src].push(done);
      return;
    }
    pendingScripts[src] = [done];
    var finish = function () { // connect() reports a failure in the widget
      var callbacks = pendingScripts[src] || [];
      pendingScripts[src] = null;
      callbacks.forEach(function (callback) { callback(); });
    };
    var script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.onload = finish;
    script.onerror = finish;
    (document.head || document.documentElement).appendChild(script);
  }

  var instance = null;
  var customData = null;

  var api = {
    version: VERSION,
    /** Starts the widget; options override the script tag's data-* attributes. */
    init: function (options) {
      if (!instance) instance = new Widget(options).start();
      return instance;
    },
    get instance() { return instance; },
    renderBotMessage: function (msg, options) { return instance ? instance.renderBotMessage(msg, options) : []; },
    send: function (text) { return instance ? instance.send(text) : false; },
    /** What travels with every message as Rasa Webchat's customData, e.g. {token: "<customer token>"}; null: a guest. */
    setCustomData: function (data) { customData = data && typeof data === 'object' ? data : null; },
    // pure renderers, for tests and for shops that want their own layout
    renderBotNodes: renderBotNodes,
    safeUrl: safeUrl,
    formatPrice: formatPrice
  };
  window.ShopbotWidget = api;

  var startup = defaultOptions();
  if (startup.autoInit) {
    // Fetch the stylesheet and the socket.io client right away, in parallel with the page.
    loadStylesheet(startup.assetsUrl + 'widget.css');
    loadScript(startup.assetsUrl + 'socket.io.min.js', function () {});
    // The snippet puts the div before the script: no need to wait for the whole page.
    if (document.readyState !== 'loading' || document.getElementById(startup.container)) {
      api.init();
    } else {
      document.addEventListener('DOMContentLoaded', function () { api.init(); });
    }
  }
})();
