/* Agents' console: plain JavaScript, no framework, no CDN.
 * Every text from customers, the bot or agents is put into the page with
 * textContent, never as HTML. */
(function () {
  'use strict';

  var state = { me: null, csrf: null, cursor: null, openId: null, open: null, intents: [], stream: null,
                ticketCursor: null, ticketId: null, ticket: null, agentsLoaded: false, reportRequest: 0,
                unmasked: false, unmaskRequest: 0 };
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function api(method, path, body) {
    var headers = { 'Accept': 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
    return fetch(path, { method: method, headers: headers, credentials: 'same-origin',
                         body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.status === 401 && path !== '/api/login') showLogin();
          if (!response.ok) {
            var error = new Error(data.error || ('HTTP ' + response.status));
            error.status = response.status;
            throw error;
          }
          return data;
        });
      });
  }

  var STATUS_NAMES = { bot: '机器人', waiting: '排队中', agent: '人工中', closed: '已结束' };
  var FLAG_NAMES = { fallback: '没听懂', low_confidence: '低置信', complaint: '投诉', handoff: '转人工' };
  var CHANNEL_NAMES = { socketio: '网页', wechat: '微信', wecom: '企业微信', telegram: 'Telegram', rest: 'REST' };

  function when(iso) {
    if (!iso) return '';
    var date = new Date(iso);
    return isNaN(date) ? '' : date.toLocaleString('zh-CN', { hour12: false });
  }

  function whenSeconds(seconds) {  // tickets give unix seconds
    return seconds ? when(seconds * 1000) : '';
  }

  // ------------------------------------------------------------ login

  function showLogin() {
    if (state.stream) { state.stream.close(); state.stream = null; }
    forgetUnmasked();
    $('app-view').hidden = true;
    $('login-view').hidden = false;
  }

  function showApp(me) {
    state.me = me.agent;
    state.csrf = me.csrf_token;
    $('login-view').hidden = true;
    $('app-view').hidden = false;
    $('me').textContent = me.agent.name + (me.agent.role === 'supervisor' ? '（主管）' : '');
    $('export').hidden = me.agent.role !== 'supervisor';
    $('ticket-assignee').hidden = me.agent.role !== 'supervisor';
    $('ticket-assign').hidden = me.agent.role !== 'supervisor';
    $('reports-button').hidden = me.agent.role !== 'supervisor';
    $('unmask').hidden = me.agent.role !== 'supervisor';
    state.agentsLoaded = false;
    clearReports();
    if (!$('reports-tab').hidden) switchTab(me.agent.role === 'supervisor' ? 'reports' : 'inbox');
    loadQueue();
    loadConversations(false);
    connectStream();
  }

  $('login-form').addEventListener('submit', function (event) {
    event.preventDefault();
    $('login-error').textContent = '';
    api('POST', '/api/login', { username: $('login-name').value, password: $('login-password').value })
      .then(function (data) { $('login-password').value = ''; showApp(data); })
      .catch(function (error) {
        $('login-error').textContent = error.status === 429 ? '登录失败次数太多，请 15 分钟后再试' : '账号或密码不对';
      });
  });

  $('logout').addEventListener('click', function () {
    api('POST', '/api/logout', {}).finally(showLogin);
  });

  // ------------------------------------------------------------ inbox

  function conversationItem(item) {
    var li = el('li', 'conversation status-' + item.status);
    li.dataset.id = item.id;
    var top = el('div', 'row');
    top.appendChild(el('span', 'who', item.id));
    top.appendChild(el('span', 'status', STATUS_NAMES[item.status] || item.status));
    li.appendChild(top);
    li.appendChild(el('div', 'last', item.last_text));
    var meta = el('div', 'meta muted', [CHANNEL_NAMES[item.channel] || item.channel || '未知渠道',
      when(item.last_message_at), item.assigned_to ? '客服 ' + item.assigned_to : ''].filter(Boolean).join(' · '));
    li.appendChild(meta);
    (item.flags || []).forEach(function (flag) { li.appendChild(el('span', 'flag', FLAG_NAMES[flag] || flag)); });
    li.addEventListener('click', function () { openConversation(item.id); });
    return li;
  }

  function loadQueue() {
    return api('GET', '/api/conversations?status=waiting&limit=100').then(function (data) {
      var list = $('queue');
      list.textContent = '';
      data.conversations.forEach(function (item) { list.appendChild(conversationItem(item)); });
      $('queue-count').textContent = String(data.conversations.length);
    }).catch(function () {});
  }

  function filterQuery() {
    var params = new URLSearchParams();
    if ($('filter-status').value) params.set('status', $('filter-status').value);
    if ($('filter-channel').value) params.set('channel', $('filter-channel').value);
    if ($('filter-q').value.trim()) params.set('q', $('filter-q').value.trim());
    params.set('limit', '30');
    return params;
  }

  function loadConversations(more) {
    var params = filterQuery();
    if (more && state.cursor) params.set('cursor', state.cursor);
    return api('GET', '/api/conversations?' + params.toString()).then(function (data) {
      var list = $('conversations');
      if (!more) list.textContent = '';
      data.conversations.forEach(function (item) { list.appendChild(conversationItem(item)); });
      state.cursor = data.next_cursor;
      $('more').hidden = !data.next_cursor;
    }).catch(function () {});
  }

  $('filters').addEventListener('submit', function (event) { event.preventDefault(); loadConversations(false); });
  $('more').addEventListener('click', function () { loadConversations(true); });

  // ------------------------------------------------------------ one conversation

  function customerMessage(message) {
    var li = el('li', 'msg msg-customer');
    li.appendChild(el('div', 'bubble', message.text));
    var nlu = el('div', 'nlu muted');
    var intents = (message.intents && message.intents.length ? message.intents : [message.intent]).filter(Boolean);
    nlu.appendChild(el('span', 'intents', intents.map(function (i) {
      return i.name + ' ' + (i.confidence === null || i.confidence === undefined ? '' : i.confidence.toFixed(2));
    }).join(' · ')));
    if (message.entities && message.entities.length) {
      nlu.appendChild(el('span', 'entities', ' 实体：' + message.entities.map(function (e) {
        return e.entity + '=' + e.value; }).join('，')));
    }
    if (message.actions && message.actions.length) nlu.appendChild(el('span', 'actions', ' → ' + message.actions.join(', ')));
    if (message.annotation) {
      nlu.appendChild(el('span', 'annotation', ' 已标注：' + message.annotation.intent +
        (message.annotation.status === 'accepted' ? '（已采纳）' : '（待采纳）')));
    }
    li.appendChild(nlu);
    li.appendChild(relabelForm(state.openId, message.id, message.intent && message.intent.name));
    li.appendChild(el('time', 'muted', when(message.at)));
    return li;
  }

  function relabelForm(conversationId, messageId, current) {
    var form = el('form', 'relabel');
    var select = el('select');
    state.intents.forEach(function (name) {
      var option = el('option', null, name);
      option.value = name;
      if (name === current) option.selected = true;
      select.appendChild(option);
    });
    var entity = el('input');
    entity.placeholder = '实体，如 brand=耐克';
    var button = el('button', null, '纠正');
    form.appendChild(select);
    form.appendChild(entity);
    form.appendChild(button);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var entities = entity.value.split(/[,，]/).map(function (part) { return part.trim(); }).filter(Boolean)
        .map(function (part) { var pair = part.split('='); return { entity: pair[0].trim(), value: (pair[1] || '').trim() }; });
      api('POST', '/api/conversations/' + encodeURIComponent(conversationId) + '/annotations',
          { message_id: messageId, intent: select.value, entities: entities })
        .then(function () { button.textContent = '已保存'; })
        .catch(function (error) { button.textContent = '失败：' + error.message; });
    });
    return form;
  }

  function botMessage(message) {
    var li = el('li', 'msg msg-' + message.role);
    if (message.role === 'agent') li.appendChild(el('div', 'who muted', '客服 ' + message.agent));
    if (message.text) li.appendChild(el('div', 'bubble', message.text));
    if (message.cards && message.cards.length) {
      var cards = el('div', 'cards');
      message.cards.forEach(function (card) {
        var box = el('div', 'card-item');
        box.appendChild(el('div', 'title', card.title));
        box.appendChild(el('div', 'price', card.price !== undefined && card.price !== null ? '¥' + card.price : ''));
        box.appendChild(el('div', 'muted', (card.brand || '') + ' ' + card.id));
        if (card.reason) box.appendChild(el('div', 'reason muted', card.reason));
        cards.appendChild(box);
      });
      li.appendChild(cards);
    }
    if (message.delivered === false) li.appendChild(el('div', 'undelivered', '未送达：' + (message.detail || '')));
    li.appendChild(el('time', 'muted', when(message.at)));
    return li;
  }

  function renderConversation(data) {
    state.open = data;
    $('detail-empty').hidden = true;
    $('detail-body').hidden = false;
    $('detail-title').textContent = data.id + ' · ' + (CHANNEL_NAMES[data.channel] || data.channel || '');
    $('detail-status').textContent = (STATUS_NAMES[data.status] || data.status) +
      (data.assigned_to ? '（' + data.assigned_to + '）' : '') +
      (data.queue_position ? ' 第 ' + data.queue_position + ' 位' : '');
    $('detail-flags').textContent = (data.flags || []).map(function (f) { return FLAG_NAMES[f] || f; }).join(' ');
    var mine = data.status === 'agent' && data.assigned_to === state.me.name;
    $('takeover').disabled = mine || data.status === 'closed';
    $('handback').disabled = !mine;
    $('close').disabled = data.status === 'closed';
    $('reply-send').disabled = !mine;
    $('reviewed').checked = !!data.reviewed;
    // only the answer of /unmask has "unmasked"; any other answer shows the masked texts again
    state.unmasked = data.unmasked !== undefined;
    $('unmask').hidden = state.me.role !== 'supervisor';
    $('unmask').disabled = state.unmasked;
    $('unmask-note').textContent = !state.unmasked ? '' :
      data.unmasked ? '已显示完整信息（已记录）' : '这段会话没有保存的完整信息（已记录）';
    $('unmask-note').hidden = !state.unmasked;
    var tags = $('tags');
    tags.textContent = '';
    (data.tags || []).forEach(function (tag) { tags.appendChild(el('span', 'tag', tag)); });
    var list = $('messages');
    list.textContent = '';
    data.messages.forEach(function (message) {
      list.appendChild(message.role === 'customer' ? customerMessage(message) : botMessage(message));
    });
    list.scrollTop = list.scrollHeight;
    var notes = $('notes');
    notes.textContent = '';
    (data.notes || []).forEach(function (note) { notes.appendChild(el('li', null, note.agent + '：' + note.text + '  ' + when(note.at))); });
    var events = $('events');
    events.textContent = '';
    (data.events || []).forEach(function (item) { events.appendChild(el('li', 'muted', when(item.at) + ' ' + item.text)); });
  }

  function openConversation(id) {
    if (state.openId !== id) $('reply-result').textContent = '';
    forgetUnmasked();
    state.openId = id;
    return api('GET', '/api/conversations/' + encodeURIComponent(id)).then(renderConversation)
      .catch(function (error) { $('reply-result').textContent = error.message; });
  }

  function act(path, body) {
    return api('POST', '/api/conversations/' + encodeURIComponent(state.openId) + path, body === undefined ? {} : body);
  }

  $('takeover').addEventListener('click', function () {
    act('/takeover').then(renderConversation).then(loadQueue)
      .catch(function (error) { $('reply-result').textContent = '接入失败：' + error.message; });
  });
  $('handback').addEventListener('click', function () {
    act('/handback').then(renderConversation).catch(function (error) { $('reply-result').textContent = error.message; });
  });
  $('close').addEventListener('click', function () {
    act('/close').then(renderConversation).then(loadQueue).catch(function (error) { $('reply-result').textContent = error.message; });
  });
  $('reviewed').addEventListener('change', function () {
    act('/reviewed', { reviewed: $('reviewed').checked }).catch(function () {});
  });
  $('reply-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = $('reply-text').value.trim();
    if (!text) return;
    act('/messages', { text: text }).then(function (result) {
      $('reply-text').value = '';
      $('reply-result').textContent = result.delivered ? '已送达' : '未送达：' + result.detail;
      return openConversation(state.openId);
    }).catch(function (error) { $('reply-result').textContent = '发送失败：' + error.message; });
  });
  $('note-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = $('note-text').value.trim();
    if (!text) return;
    act('/notes', { text: text }).then(function () { $('note-text').value = ''; return openConversation(state.openId); });
  });
  $('tag-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var tag = $('tag-input').value.trim();
    if (!tag || !state.open) return;
    api('PUT', '/api/conversations/' + encodeURIComponent(state.openId) + '/tags',
        { tags: (state.open.tags || []).concat([tag]) })
      .then(function () { $('tag-input').value = ''; return openConversation(state.openId); });
  });

  // ------------------------------------------------------------ whole texts (supervisors)
  // Shown, never kept: opening a conversation (this one again too), a live update of it
  // or logging out shows the masked texts again.  The server audits every unmasking.

  function forgetUnmasked() {
    state.unmaskRequest += 1;  // an answer still on its way is dropped
    $('unmask-error').hidden = true;
    if (!state.unmasked) return;
    state.unmasked = false;
    state.open = null;
    $('messages').textContent = '';
    $('unmask-note').hidden = true;
  }

  $('unmask').addEventListener('click', function () {
    var id = state.openId;
    if (!id || !window.confirm('查看完整个人信息会被记录在审计日志中，确定吗？')) return;
    var request = ++state.unmaskRequest;
    $('unmask').disabled = true;
    $('unmask-error').hidden = true;
    act('/unmask').then(function (data) {
      if (request === state.unmaskRequest && id === state.openId) renderConversation(data);
    }).catch(function (error) {
      if (request !== state.unmaskRequest) return;
      $('unmask-error').textContent = error.status === 403 ? '只有主管能查看完整信息' :
        error.status === 409 ? '没有设置隐私密钥，没有保存完整信息，无法显示' :
        error.status ? '显示完整信息失败：' + error.message : '网络错误，显示完整信息失败，请稍后再试';
      $('unmask-error').hidden = false;
      $('unmask').disabled = false;
    });
  });

  // ------------------------------------------------------------ live events

  function connectStream() {
    if (state.stream) state.stream.close();
    var stream = new EventSource('/api/stream');
    state.stream = stream;
    stream.addEventListener('ready', function () { $('stream-state').textContent = '实时'; });
    function changed(event) {
      var item;
      try { item = JSON.parse(event.data); } catch (e) { return; }
      loadQueue();
      if (item && item.id === state.openId) openConversation(state.openId);
    }
    stream.addEventListener('handoff', changed);
    stream.addEventListener('status', changed);
    stream.addEventListener('message', changed);
    stream.onerror = function () { $('stream-state').textContent = '实时连接中断，重连中…'; };
  }

  // ------------------------------------------------------------ tickets

  var TICKET_STATUS_NAMES = { open: '待处理', in_progress: '处理中', waiting_customer: '等待客户回复', resolved: '已解决' };
  var TICKET_KIND_NAMES = { return_refund: '退货退款', exchange: '换货', cancel: '取消订单', change_info: '修改订单信息',
    change_spec: '修改颜色尺码', status: '查询订单', complaint: '投诉', handoff: '人工留言' };
  // Which status may follow which (bot/service/tickets.py NEXT_STATUSES); the server checks again.
  var NEXT_TICKET_STATUSES = { open: ['in_progress', 'waiting_customer', 'resolved'],
    in_progress: ['waiting_customer', 'resolved'], waiting_customer: ['in_progress', 'resolved'], resolved: ['in_progress'] };

  function ticketStatusName(ticket) {
    return TICKET_STATUS_NAMES[ticket.status] || ticket.status_label || ticket.status;
  }

  function ticketItem(ticket) {
    var li = el('li', 'ticket ticket-' + ticket.status + (ticket.id === state.ticketId ? ' selected' : ''));
    li.dataset.id = ticket.id;
    var top = el('div', 'row');
    top.appendChild(el('span', 'who', ticket.id));
    top.appendChild(el('span', 'status', ticketStatusName(ticket)));
    li.appendChild(top);
    li.appendChild(el('div', 'last', (TICKET_KIND_NAMES[ticket.kind] || ticket.kind) +
      (ticket.order_id ? ' · 订单 ' + ticket.order_id : '')));
    li.appendChild(el('div', 'meta muted', [ticket.assignee ? '客服 ' + ticket.assignee : '未分配',
      whenSeconds(ticket.updated_at) + ' 更新'].join(' · ')));
    li.addEventListener('click', function () { openTicket(ticket.id); });
    return li;
  }

  function loadTickets(more) {
    var params = new URLSearchParams();
    if ($('ticket-filter-status').value) params.set('status', $('ticket-filter-status').value);
    params.set('limit', '30');
    if (more && state.ticketCursor) params.set('cursor', state.ticketCursor);
    return api('GET', '/api/tickets?' + params.toString()).then(function (data) {
      var list = $('tickets');
      if (!more) list.textContent = '';
      data.tickets.forEach(function (ticket) { list.appendChild(ticketItem(ticket)); });
      state.ticketCursor = data.next_cursor;
      $('tickets-more').hidden = !data.next_cursor;
      $('tickets-empty').hidden = list.children.length > 0;
      $('tickets-error').hidden = true;
    }).catch(function (error) {
      $('tickets-error').textContent = '工单列表加载失败：' + error.message;
      $('tickets-error').hidden = false;
    });
  }

  $('ticket-filters').addEventListener('submit', function (event) { event.preventDefault(); loadTickets(false); });
  $('tickets-more').addEventListener('click', function () { loadTickets(true); });

  function showTicketInList(ticket) {
    Array.prototype.forEach.call($('tickets').children, function (li) {
      if (li.dataset.id === ticket.id) $('tickets').replaceChild(ticketItem(ticket), li);
      else li.classList.toggle('selected', li.dataset.id === state.ticketId);
    });
  }

  function historyText(entry) {
    var parts = [whenSeconds(entry.at), entry.by === 'customer' ? '客户' : entry.by];
    if (entry.status) parts.push('状态 → ' + (TICKET_STATUS_NAMES[entry.status] || entry.status));
    if (entry.assignee) parts.push('负责人 → ' + entry.assignee);
    if (entry.message) parts.push((entry.by === 'customer' ? '客户补充：' : '给客户：') + entry.message);
    if (entry.note) {
      var created = entry.by === 'bot' && entry.status === 'open' && TICKET_KIND_NAMES[entry.note];
      parts.push(created ? '建单：' + TICKET_KIND_NAMES[entry.note] : '备注：' + entry.note);
    }
    return parts.filter(Boolean).join(' · ');
  }

  function renderTicket(ticket) {
    state.ticket = ticket;
    $('ticket-empty').hidden = true;
    $('ticket-body').hidden = false;
    $('ticket-title').textContent = ticket.id + ' · ' + (TICKET_KIND_NAMES[ticket.kind] || ticket.kind);
    $('ticket-status').textContent = ticketStatusName(ticket) + (ticket.assignee ? '（' + ticket.assignee + '）' : '');
    var fields = $('ticket-fields');
    fields.textContent = '';
    [['订单', ticket.order_id], ['订单状态', ticket.order_state], ['客户', ticket.customer_id || '访客'],
     ['渠道', CHANNEL_NAMES[ticket.channel] || ticket.channel], ['会话', ticket.conversation_id],
     ['负责人', ticket.assignee || '未分配'], ['创建', whenSeconds(ticket.created_at)],
     ['更新', whenSeconds(ticket.updated_at)]].forEach(function (pair) {
      if (!pair[1]) return;
      fields.appendChild(el('dt', null, pair[0]));
      fields.appendChild(el('dd', null, pair[1]));
    });
    $('ticket-text').textContent = ticket.detail || '';
    var supervisor = state.me.role === 'supervisor';
    var mine = ticket.assignee === state.me.name;
    var canWork = mine || supervisor;
    $('ticket-take').disabled = mine || (!!ticket.assignee && !supervisor);
    $('ticket-conversation').hidden = !ticket.conversation_id;
    $('ticket-send').disabled = !canWork;
    $('ticket-hint').textContent = canWork ? '' : (ticket.assignee ? ticket.assignee + ' 正在处理这个工单' : '先接手才能处理这个工单');
    var next = $('ticket-next');
    next.textContent = '';
    (NEXT_TICKET_STATUSES[ticket.status] || []).forEach(function (status) {
      var button = el('button', 'next-status', TICKET_STATUS_NAMES[status] || status);
      button.type = 'button';
      button.dataset.status = status;
      button.disabled = !canWork;
      button.addEventListener('click', function () { updateTicket(status); });
      next.appendChild(button);
    });
    if (ticket.history) {
      var history = $('ticket-history');
      history.textContent = '';
      ticket.history.forEach(function (entry) { history.appendChild(el('li', 'muted', historyText(entry))); });
    }
    showTicketInList(ticket);
  }

  function openTicket(id) {
    if (state.ticketId !== id) $('ticket-result').textContent = '';
    state.ticketId = id;
    return api('GET', '/api/tickets/' + encodeURIComponent(id)).then(renderTicket)
      .catch(function (error) { $('ticket-result').textContent = '工单加载失败：' + error.message; });
  }

  function deliveryText(done, delivery) {
    if (!delivery) return done + '（没有发给客户）';
    return done + '；' + (delivery.delivered ? '客户已收到：' : '客户没收到：') + delivery.detail;
  }

  var TICKET_REFUSALS = { 400: '不能这样改：', 403: '不是你的工单（先接手）：', 404: '没有这个工单：', 409: '工单正忙，请重试：' };

  // POSTs a change, shows what happened (and whether the customer got it), reloads the ticket; true if done.
  function ticketAction(path, body, done) {
    var id = state.ticketId;
    $('ticket-result').textContent = '处理中…';
    return api('POST', '/api/tickets/' + encodeURIComponent(id) + path, body).then(function (result) {
      $('ticket-result').textContent = deliveryText(done, result.delivery);
      return openTicket(id).then(function () { return true; });
    }).catch(function (error) {
      $('ticket-result').textContent = '失败，' + (TICKET_REFUSALS[error.status] || '') + error.message;
      return openTicket(id).then(function () { return false; });
    });
  }

  function updateTicket(status) {
    var body = {};
    var message = $('ticket-message').value.trim();
    var note = $('ticket-note').value.trim();
    if (status) body.status = status;
    if (message) body.message = message;
    if (note) body.note = note;
    if (!status && !message && !note) { $('ticket-result').textContent = '先写给客户的留言或内部备注'; return; }
    ticketAction('/update', body, status ? '已改为“' + (TICKET_STATUS_NAMES[status] || status) + '”' : '已保存')
      .then(function (ok) {
        if (ok) { $('ticket-message').value = ''; $('ticket-note').value = ''; }
      });
  }

  $('ticket-take').addEventListener('click', function () { ticketAction('/assign', {}, '已接手'); });
  $('ticket-assign').addEventListener('click', function () {
    if ($('ticket-assignee').value) ticketAction('/assign', { agent: $('ticket-assignee').value }, '已指派给 ' + $('ticket-assignee').value);
  });
  $('ticket-form').addEventListener('submit', function (event) { event.preventDefault(); updateTicket(null); });
  $('ticket-conversation').addEventListener('click', function () {
    if (!state.ticket || !state.ticket.conversation_id) return;
    switchTab('inbox');
    openConversation(state.ticket.conversation_id);
  });

  function loadAgents() {
    if (state.agentsLoaded || state.me.role !== 'supervisor') return;
    api('GET', '/api/agents').then(function (data) {
      var select = $('ticket-assignee');
      select.textContent = '';
      data.agents.forEach(function (agent) {
        var option = el('option', null, agent.name + (agent.role === 'supervisor' ? '（主管）' : ''));
        option.value = agent.name;
        select.appendChild(option);
      });
      state.agentsLoaded = true;
    }).catch(function () {});
  }

  // ------------------------------------------------------------ teaching

  function loadNlu() {
    return api('GET', '/api/nlu/inbox').then(function (data) {
      state.intents = data.intents;
      var rows = $('nlu-rows');
      rows.textContent = '';
      data.messages.forEach(function (item) {
        var tr = el('tr');
        tr.appendChild(el('td', null, item.text));
        tr.appendChild(el('td', 'muted', (item.intent || '') + ' ' + (item.confidence ? item.confidence.toFixed(2) : '')));
        var cell = el('td');
        cell.appendChild(relabelForm(item.conversation_id, item.message_id, item.intent));
        tr.appendChild(cell);
        var open = el('button', null, '看对话');
        open.addEventListener('click', function () { switchTab('inbox'); openConversation(item.conversation_id); });
        var last = el('td');
        last.appendChild(open);
        tr.appendChild(last);
        rows.appendChild(tr);
      });
    }).catch(function () {});
  }

  $('export').addEventListener('click', function () {
    api('POST', '/api/nlu/export', {}).then(function (result) {
      $('export-result').textContent = '已写入 ' + result.file + '：新增 ' + result.added + ' 条，重复跳过 ' + result.skipped_as_duplicates + ' 条';
    }).catch(function (error) { $('export-result').textContent = error.message; });
  });

  // ------------------------------------------------------------ reports (supervisors)

  var ALERT_KIND_NAMES = { price_drop: '降价提醒', restock: '到货提醒', new_arrival: '上新提醒' };
  var REPORT_DAYS = [['1', '次日'], ['7', '第7天'], ['14', '第14天'], ['30', '第30天']];
  var CHART_TITLES = { 'cohorts.png': '按首次咨询周的留存', 'funnel_category.png': '按品类：展示 → 点击 → 购买',
    'funnel_reason.png': '按推荐理由：展示 → 点击 → 购买', 'weekly_rates.png': '每周未理解、转人工、低置信度比例',
    'confidence.png': '意图置信度分布' };

  function percent(share, digits) {
    return share === null || share === undefined ? '' : (share * 100).toFixed(digits) + '%';
  }

  function numberCell(value) {
    return el('td', 'num', value);
  }

  // A group of fewer than min_group people is not shown: "<N" instead of its size.
  function peopleCell(people, minGroup) {
    if (people !== null && people !== undefined) return numberCell(people);
    var td = el('td', 'num suppressed', '<' + minGroup);
    td.title = '少于 ' + minGroup + ' 人，不显示';
    return td;
  }

  function reportRow(first, cells) {
    var tr = el('tr');
    tr.appendChild(el('td', null, first));
    cells.forEach(function (td) { tr.appendChild(td); });
    return tr;
  }

  function fillTable(table, head, rows) {
    table.textContent = '';
    var thead = el('thead');
    var top = el('tr');
    head.forEach(function (name, n) { top.appendChild(el('th', n ? 'num' : null, name)); });
    thead.appendChild(top);
    table.appendChild(thead);
    var body = el('tbody');
    rows.forEach(function (tr) { body.appendChild(tr); });
    if (!rows.length) {
      var empty = el('td', 'muted', '暂无数据');
      empty.colSpan = head.length;
      body.appendChild(el('tr')).appendChild(empty);
    }
    table.appendChild(body);
  }

  function cohortRow(cohort, minGroup) {
    var cells = [peopleCell(cohort.size, minGroup)];
    cohort.weeks.forEach(function (share, n) {
      var incomplete = share !== null && !!cohort.incomplete[n];
      var td = el('td', 'num' + (incomplete ? ' incomplete' : ''), percent(share, 0) + (incomplete ? '*' : ''));
      if (incomplete) td.title = '这一周尚未结束';
      cells.push(td);
    });
    REPORT_DAYS.forEach(function (day) { cells.push(numberCell(percent((cohort.days || {})[day[0]], 0))); });
    var tr = reportRow(cohort.week, cells);
    tr.dataset.week = cohort.week;
    return tr;
  }

  function funnelRows(rows, minGroup) {
    return rows.map(function (row) {
      var shown = row.people !== null;  // a suppressed group shows no figures at all
      return reportRow(row.group, [peopleCell(row.people, minGroup), numberCell(shown ? row.shown : ''),
        numberCell(shown ? row.clicked : ''), numberCell(shown ? row.bought : ''),
        numberCell(percent(row.click_rate, 1)), numberCell(percent(row.buy_rate, 1))]);
    });
  }

  function reportChart(name) {
    var figure = el('figure', 'chart');
    var title = CHART_TITLES[name] || name;
    var image = el('img');
    var caption = el('figcaption', 'muted', title);
    image.alt = title;
    image.dataset.chart = name;
    image.addEventListener('error', function () { caption.textContent = title + '（图表加载失败）'; });
    figure.appendChild(image);
    figure.appendChild(caption);
    return figure;
  }

  // One chart after the other: the server draws all of them on the first request, and
  // parallel first requests would each draw them again.
  function loadCharts(images, generatedAt, request) {
    if (!images.length || request !== state.reportRequest) return;
    var image = images[0];
    var next = function () { loadCharts(images.slice(1), generatedAt, request); };
    image.addEventListener('load', next);
    image.addEventListener('error', next);
    // the report's time in the address: a refreshed report loads its own charts
    image.src = '/api/reports/charts/' + encodeURIComponent(image.dataset.chart) + '?at=' + encodeURIComponent(generatedAt);
  }

  function renderReports(report, request) {
    var minGroup = report.min_group;
    $('reports-summary').textContent = [report.people + ' 位顾客', report.turns + ' 条消息', report.events + ' 个行为事件',
      '生成于 ' + whenSeconds(report.generated_at), '少于 ' + minGroup + ' 人的分组不显示（<' + minGroup + '）',
      '带 * 的周尚未结束'].join(' · ');
    var weekCount = report.cohorts.length ? report.cohorts[0].weeks.length : 8;
    var cohortHead = ['首次咨询周', '人数'];
    for (var n = 0; n < weekCount; n++) cohortHead.push('第' + n + '周');
    REPORT_DAYS.forEach(function (day) { cohortHead.push(day[1]); });
    fillTable($('report-cohorts'), cohortHead, report.cohorts.map(function (cohort) { return cohortRow(cohort, minGroup); }));
    fillTable($('report-funnel-category'), ['品类', '人数', '展示', '点击', '购买', '点击率', '购买率'],
              funnelRows(report.funnel_by_category, minGroup));
    fillTable($('report-funnel-reason'), ['推荐理由', '人数', '展示', '点击', '购买', '点击率', '购买率'],
              funnelRows(report.funnel_by_reason, minGroup));
    fillTable($('report-alerts'), ['提醒', '人数', '送达', '打开', '购买', '打开率', '购买率'],
              report.alerts.map(function (row) {
                var shown = row.people !== null;
                return reportRow(ALERT_KIND_NAMES[row.kind] || row.kind, [peopleCell(row.people, minGroup),
                  numberCell(shown ? row.sent : ''), numberCell(shown ? row.opened : ''), numberCell(shown ? row.bought : ''),
                  numberCell(percent(row.open_rate, 1)), numberCell(percent(row.buy_rate, 1))]);
              }));
    fillTable($('report-weeks'), ['周', '人数', '消息', '未理解率', '转人工率', '平均置信度', '低置信度率'],
              report.weeks.map(function (week) {
                var shown = week.people !== null;
                return reportRow(week.week, [peopleCell(week.people, minGroup), numberCell(shown ? week.turns : ''),
                  numberCell(percent(week.fallback_rate, 1)), numberCell(percent(week.handoff_rate, 1)),
                  numberCell(week.mean_confidence === null ? '' : week.mean_confidence.toFixed(3)),
                  numberCell(percent(week.low_confidence_rate, 1))]);
              }));
    var charts = $('report-charts');
    charts.textContent = '';
    (report.charts || []).forEach(function (name) { charts.appendChild(reportChart(name)); });
    $('reports-body').hidden = false;
    loadCharts(Array.prototype.slice.call(charts.querySelectorAll('img')), report.generated_at, request);
  }

  function clearReports() {
    state.reportRequest += 1;  // an answer still on its way is for whoever was logged in before
    ['reports-summary', 'reports-state', 'reports-error', 'report-cohorts', 'report-funnel-category',
     'report-funnel-reason', 'report-alerts', 'report-weeks', 'report-charts'].forEach(function (id) {
      $(id).textContent = '';
    });
    $('reports-error').hidden = true;
    $('reports-body').hidden = true;
    $('reports-refresh').disabled = false;
  }

  function loadReports() {
    if (!state.me || state.me.role !== 'supervisor') return;
    var request = ++state.reportRequest;
    $('reports-refresh').disabled = true;
    $('reports-state').textContent = '加载中…';
    api('GET', '/api/reports').then(function (report) {
      if (request !== state.reportRequest) return;
      renderReports(report, request);
      $('reports-error').hidden = true;
      $('reports-state').textContent = '';
    }).catch(function (error) {
      if (request !== state.reportRequest) return;
      $('reports-error').textContent = error.status === 403 ? '只有主管能看报表' : '报表加载失败：' + error.message;
      $('reports-error').hidden = false;
      $('reports-state').textContent = '';
    }).then(function () {
      if (request === state.reportRequest) $('reports-refresh').disabled = false;
    });
  }

  $('reports-refresh').addEventListener('click', loadReports);

  function switchTab(name) {
    Array.prototype.forEach.call(document.querySelectorAll('.tab'), function (tab) {
      tab.classList.toggle('active', tab.dataset.tab === name);
    });
    $('inbox-tab').hidden = name !== 'inbox';
    $('nlu-tab').hidden = name !== 'nlu';
    $('tickets-tab').hidden = name !== 'tickets';
    $('reports-tab').hidden = name !== 'reports';
    if (name === 'nlu') loadNlu();
    if (name === 'reports') loadReports();
    if (name === 'tickets') {
      loadAgents();
      loadTickets(false);
      if (state.ticketId) openTicket(state.ticketId);
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll('.tab'), function (tab) {
    tab.addEventListener('click', function () { switchTab(tab.dataset.tab); });
  });

  // ------------------------------------------------------------ start

  api('GET', '/api/me').then(function (me) {
    return api('GET', '/api/nlu/inbox').then(function (data) { state.intents = data.intents; return me; });
  }).then(showApp).catch(showLogin);
  window.shopbotConsole = state;
}());
