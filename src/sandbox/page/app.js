// The sandbox page: plain ES module, no build step. State comes from /api/state, refreshed when the
// launcher says something changed (Server-Sent Events on /api/events); actions are small POSTs.
const lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'ru';
const $ = (id) => document.getElementById(id);
let T = {};
let state = null;
let activeChat = null;
/** The MAX dialog shown: `${bot}:${userId}` (bot: staff | citizens). */
let activeMax = null;
let replyTo = null;
/** Bot messages already seen per chat (the tab's badge counts the rest). */
const seen = new Map();

const t = (key, vars = {}) => (T[key] ?? key).replace(/\{\s*\$(\w+)\s*\}/g, (_, v) => String(vars[v] ?? ''));
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const locale = lang === 'en' ? 'en-GB' : 'ru-RU';
const zone = () => state?.zone ?? 'Europe/Moscow';
const day = (ms) => new Date(ms).toLocaleDateString(locale, { timeZone: zone() });
/** Service-clock time of a message; the date too when it is not the clock's today. */
const time = (unix) => {
  const ms = unix * 1000;
  const hm = new Date(ms).toLocaleTimeString(locale, { timeZone: zone(), hour: '2-digit', minute: '2-digit' });
  return state && day(ms) !== day(Date.parse(state.clock.now)) ? `${new Date(ms).toLocaleDateString(locale, { timeZone: zone(), day: 'numeric', month: 'short' })} ${hm}` : hm;
};

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) {
    showError(answer.error ?? res.statusText);
    throw new Error(answer.error ?? res.statusText);
  }
  return answer;
}

function showError(text) {
  const box = $('error');
  box.textContent = text;
  box.hidden = false;
  setTimeout(() => (box.hidden = true), 5000);
}

let asked = 0;
let shown = 0;
async function refresh() {
  const n = ++asked;
  const res = await fetch(`/api/state?lang=${lang}`);
  if (!res.ok) return;
  const next = await res.json();
  // Answers can overtake each other: never draw an older state over a newer one.
  if (n < shown) return;
  shown = n;
  state = next;
  render();
}

function render() {
  $('org').textContent = state.organization;
  $('community').textContent = state.community;
  $('clock-now').textContent = new Date(state.clock.now).toLocaleString(locale, { timeZone: zone(), weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const presetSelect = $('preset');
  if (presetSelect.dataset.for !== state.presets.map((p) => p.id).join()) {
    presetSelect.innerHTML = state.presets.map((p) => `<option value="${esc(p.id)}">${esc(p.label)}</option>`).join('');
    presetSelect.dataset.for = state.presets.map((p) => p.id).join();
  }
  presetSelect.value = state.preset;
  $('citizens').innerHTML = state.citizens.map((c) => `<option value="${esc(c)}">`).join('');
  const postSelect = $('post');
  const chosen = postSelect.value;
  postSelect.innerHTML = state.wall.map((p) => `<option value="${p.id}">${esc(t('sandbox-post-n', { n: p.id }))}: ${esc(p.text.slice(0, 40))}…</option>`).join('');
  if (chosen) postSelect.value = chosen;
  renderWall();
  renderDialogs();
  renderTabs();
  renderChat();
  renderMax();
}

/** MAX dialogs (when the sandbox runs with SANDBOX_MAX=1): staff with the workspace bot, citizens with the administration's bot. */
function maxDialogs() {
  if (!state.max) return [];
  return [...state.max.staff.map((d) => ({ ...d, bot: 'staff' })), ...state.max.citizens.map((d) => ({ ...d, bot: 'citizens' }))];
}

function renderMax() {
  $('max').hidden = !state.max;
  $('max-citizen-send').hidden = !state.max;
  if (!state.max) return;
  const dialogs = maxDialogs();
  const key = (d) => `${d.bot}:${d.userId}`;
  if (!dialogs.some((d) => key(d) === activeMax)) activeMax = dialogs[0] ? key(dialogs[0]) : null;
  $('max-tabs').innerHTML = dialogs
    .map((d) => `<button class="tab max-tab${key(d) === activeMax ? ' active' : ''}" data-max="${esc(key(d))}">${esc(d.name)}<small>${esc(t(`sandbox-max-${d.bot}`))}</small></button>`)
    .join('');
  const d = dialogs.find((x) => key(x) === activeMax);
  const box = $('max-chat');
  box.innerHTML = d?.messages.length
    ? d.messages
        .map((m) => {
          const file = m.file ? (m.file.image ? `<img src="${esc(m.file.url)}" alt="${esc(m.file.name)}">` : `<a class="doc" href="${esc(m.file.url)}">📄 ${esc(m.file.name)}</a>`) : '';
          const kb = keyboardHtml(m.buttons, (b) => `<button class="btn max-btn" data-mid="${esc(m.mid)}" data-payload="${esc(b.payload ?? '')}">${esc(b.text)}</button>`);
          return `<div class="msg ${m.from === 'bot' ? 'bot' : 'user'}">${file}<div class="body">${m.html.replace(/\n/g, '<br>')}</div><div class="meta">${m.edited ? esc(t('sandbox-edited')) + ' ' : ''}${time(m.date)}</div>${kb}</div>`;
        })
        .join('')
    : `<p class="empty">${esc(t('sandbox-max-empty'))}</p>`;
  box.scrollTop = box.scrollHeight;
}

function renderWall() {
  $('wall').innerHTML = state.wall
    .map((p) => {
      // As VK shows them: top-level comments, each with one flat thread of every reply under it.
      const byId = new Map(p.comments.map((c) => [c.id, c]));
      const rootOf = (c) => (c.replyTo && byId.has(c.replyTo) ? rootOf(byId.get(c.replyTo)) : c);
      const top = p.comments.filter((c) => !c.replyTo || !byId.has(c.replyTo));
      const thread = (c) => (c.replyTo ? [] : p.comments.filter((r) => r.replyTo && rootOf(r).id === c.id));
      const to = (c) => (c.replyTo && byId.get(c.replyTo) && byId.get(c.replyTo).replyTo ? `<span class="to">→ ${esc(byId.get(c.replyTo).from.name)}</span> ` : '');
      const one = (c) => `
        <div class="comment${c.community ? ' community' : ''}" data-comment="${c.id}">
          <div class="who">${esc(c.from.name)} <span class="when">${time(c.date)}</span>
            ${c.mark ? `<span class="mark mark-${c.mark}">${esc(t(`sandbox-mark-${c.mark}`))}</span>` : ''}
            <button class="link reply" data-post="${p.id}" data-comment="${c.id}">${esc(t('sandbox-reply'))}</button>
          </div>
          <div class="text">${to(c)}${esc(c.text)}${c.attachments ? ` <span class="attachments">📎 ${c.attachments}</span>` : ''}</div>
          <div class="thread">${thread(c).map(one).join('')}</div>
        </div>`;
      return `<article class="post" data-post="${p.id}">
        <div class="who">${esc(state.community)} <span class="when">${time(p.date)}</span></div>
        <div class="text">${esc(p.text)}</div>
        <div class="comments">${top.map(one).join('')}</div>
      </article>`;
    })
    .join('');
}

function renderDialogs() {
  $('dialogs').innerHTML =
    state.dialogs
      .map(
        (d) =>
          `<div class="dialog" data-peer="${d.peer}"><b>${esc(d.name)}</b>${d.messages
            .map((m) => `<div class="dm${m.community ? ' community' : ''}"><span class="when">${time(m.date)}</span> ${esc(m.text)}</div>`)
            .join('')}</div>`,
      )
      .join('') || `<p class="empty">${esc(t('sandbox-no-dialogs'))}</p>`;
}

function renderTabs() {
  if (!state.chats.some((c) => c.id === activeChat)) activeChat = state.chats[0]?.id ?? null;
  $('tabs').innerHTML = state.chats
    .map((c) => {
      const total = c.messages.filter((m) => m.from === 'bot').length;
      if (c.id === activeChat) seen.set(c.id, total);
      const unread = total - (seen.get(c.id) ?? 0);
      return `<button class="tab${c.id === activeChat ? ' active' : ''}" data-chat="${c.id}">${esc(c.name)}<small>${esc(c.roles.map((r) => t(`sandbox-role-${r}`)).join(', '))}</small>${unread ? `<span class="count">${unread}</span>` : ''}</button>`;
    })
    .join('');
}

function renderChat() {
  const chat = state.chats.find((c) => c.id === activeChat);
  const box = $('chat');
  const atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 40;
  if (!chat) {
    box.innerHTML = '';
    return;
  }
  box.innerHTML = chat.messages.length ? chat.messages.map((m) => messageHtml(m, chat)).join('') : `<p class="empty">${esc(t('sandbox-chat-empty'))}</p>`;
  if (atBottom || box.dataset.chat !== String(chat.id)) box.scrollTop = box.scrollHeight;
  box.dataset.chat = String(chat.id);
  const lastBot = [...chat.messages].reverse().find((m) => m.from === 'bot');
  const force = lastBot?.forceReply ? lastBot : null;
  $('force-reply').hidden = !force;
  $('force-reply').textContent = force ? t('sandbox-force-reply') : '';
  $('chat-input').dataset.replyTo = force ? String(force.id) : '';
  $('chat-input').placeholder = force?.placeholder ?? t('sandbox-message-placeholder');
  $('commands').innerHTML = chat.commands.map((c) => `<button class="command" data-command="/${esc(c.command)}">/${esc(c.command)} <small>${esc(c.description)}</small></button>`).join('');
  const notice = chat.notice && Date.now() - chat.notice.at < 6000 ? chat.notice : null;
  $('notice').hidden = !notice;
  $('notice').textContent = notice?.text ?? '';
  if (notice) setTimeout(renderChat, 6100 - (Date.now() - notice.at));
}

/** The first line of the message replied to, as Telegram quotes it above a reply. */
function quoteOf(m, chat) {
  const target = m.replyTo ? chat.messages.find((x) => x.id === m.replyTo) : null;
  if (!target) return '';
  const text = new DOMParser().parseFromString(target.html, 'text/html').body.textContent ?? '';
  return `<div class="quote">${esc(text.split('\n')[0].slice(0, 90))}</div>`;
}

function messageHtml(m, chat) {
  const file = m.file
    ? m.kind === 'photo'
      ? `<a href="${m.file.url}" target="_blank"><img src="${m.file.url}" alt="${esc(m.file.name)}"></a>`
      : `<a class="doc" href="${m.file.url}" target="_blank" download="${esc(m.file.name)}">📄 ${esc(m.file.name)}</a>`
    : '';
  const kb = keyboardHtml(m.buttons, (b) => `<button class="btn" data-message="${m.id}" data-data="${esc(b.data ?? '')}">${esc(b.text)}</button>`);
  return `<div class="msg ${m.from}" data-message="${m.id}">${quoteOf(m, chat)}${file}<div class="body">${m.html.replace(/\n/g, '<br>')}</div>
    <div class="meta">${m.edited ? esc(t('sandbox-edited')) + ' ' : ''}${time(m.date)}</div>${kb}</div>`;
}

/** An inline keyboard: url buttons open the link, the others are drawn by `pressable`. */
function keyboardHtml(rows, pressable) {
  if (!rows.length) return '';
  const button = (b) => (b.url ? `<a class="btn" href="${esc(b.url)}" target="_blank" rel="noopener">${esc(b.text)} ↗</a>` : pressable(b));
  return `<div class="kb">${rows.map((row) => `<div class="row">${row.map(button).join('')}</div>`).join('')}</div>`;
}

function citizenName() {
  return $('citizen').value.trim() || t('sandbox-default-citizen');
}

function bind() {
  document.addEventListener('click', async (e) => {
    const el = e.target.closest('button');
    if (!el) return;
    if (el.classList.contains('max-tab')) {
      activeMax = el.dataset.max;
      renderMax();
    } else if (el.classList.contains('max-btn')) {
      const [bot, user] = activeMax.split(':');
      await post('/api/max/press', { bot, user: Number(user), mid: el.dataset.mid, payload: el.dataset.payload });
    } else if (el.classList.contains('tab')) {
      activeChat = Number(el.dataset.chat);
      renderTabs();
      renderChat();
    } else if (el.classList.contains('btn') && el.dataset.message) {
      await post('/api/tg/press', { chat: activeChat, message: Number(el.dataset.message), data: el.dataset.data });
    } else if (el.classList.contains('reply')) {
      replyTo = Number(el.dataset.comment);
      $('post').value = el.dataset.post;
      $('reply-to-id').textContent = `#${replyTo}`;
      $('reply-target').hidden = false;
      $('comment-text').focus();
    } else if (el.classList.contains('command')) {
      $('commands').hidden = true;
      await post('/api/tg/send', { chat: activeChat, text: el.dataset.command });
    } else if (el.dataset.step) {
      el.disabled = true;
      try {
        const r = await post('/api/clock', { step: el.dataset.step });
        const res = r.result ?? {};
        $('clock-result').textContent =
          r.type === 'clock:done' ? t('sandbox-clock-done', { reminders: res.reminders ?? 0, violations: res.violations ?? 0, escalations: res.escalations ?? 0 }) : (r.error ?? '');
      } finally {
        el.disabled = false;
      }
    } else if (el.dataset.training) {
      await post('/api/training/play', { id: el.dataset.training });
    }
  });
  $('reply-cancel').onclick = () => {
    replyTo = null;
    $('reply-target').hidden = true;
  };
  $('comment-send').onclick = async () => {
    const text = $('comment-text').value;
    await post('/api/vk/comment', { name: citizenName(), post: Number($('post').value), text, replyTo });
    $('comment-text').value = '';
    replyTo = null;
    $('reply-target').hidden = true;
  };
  $('message-send').onclick = async () => {
    await post('/api/vk/message', { name: citizenName(), text: $('comment-text').value });
    $('comment-text').value = '';
  };
  $('max-citizen-send').onclick = async () => {
    const name = citizenName();
    await post('/api/max/send', { bot: 'citizens', name, text: $('comment-text').value });
    $('comment-text').value = '';
  };
  const sendMax = async () => {
    const input = $('max-input');
    const d = maxDialogs().find((x) => `${x.bot}:${x.userId}` === activeMax);
    if (!input.value.trim() || !d) return;
    await post('/api/max/send', { bot: d.bot, user: d.userId, name: d.name, text: input.value });
    input.value = '';
  };
  $('max-send').onclick = sendMax;
  $('max-input').addEventListener('keydown', (e) => e.key === 'Enter' && sendMax());
  const send = async () => {
    const input = $('chat-input');
    if (!input.value.trim()) return;
    const replyToMessage = input.dataset.replyTo ? Number(input.dataset.replyTo) : undefined;
    await post('/api/tg/send', { chat: activeChat, text: input.value, replyTo: replyToMessage });
    input.value = '';
  };
  $('chat-send').onclick = send;
  $('chat-input').addEventListener('keydown', (e) => e.key === 'Enter' && send());
  $('menu').onclick = () => ($('commands').hidden = !$('commands').hidden);
  $('photo').onchange = async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    await post('/api/tg/photo', { chat: activeChat, base64: btoa(bin), caption: $('chat-input').value });
    $('chat-input').value = '';
    e.target.value = '';
  };
  $('preset').onchange = (e) => switchPreset(e.target.value, false);
  $('reset').onclick = () => confirm(t('sandbox-reset-confirm')) && switchPreset(state.preset, true);
}

async function switchPreset(id, reset) {
  document.body.classList.add('busy');
  try {
    await post('/api/preset', { id, reset });
    activeChat = null;
    await refresh();
  } finally {
    document.body.classList.remove('busy');
  }
}

async function init() {
  T = await (await fetch(`/api/strings?lang=${lang}`)).json();
  document.documentElement.lang = lang;
  document.title = t('sandbox-title');
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  $('lang').textContent = lang === 'en' ? 'Русский' : 'English';
  $('lang').href = lang === 'en' ? '?lang=ru' : '?lang=en';
  $('citizen').placeholder = t('sandbox-citizen-placeholder');
  $('comment-text').placeholder = t('sandbox-comment-placeholder');
  $('chat-input').placeholder = t('sandbox-message-placeholder');
  $('clock-buttons').innerHTML = ['work-hour', 'end-of-day', 'next-work-day', 'next-month'].map((s) => `<button data-step="${s}">${esc(t(`sandbox-clock-${s}`))}</button>`).join('');
  bind();
  await refresh();
  $('training').innerHTML = state.training.map((x) => `<button data-training="${esc(x.id)}">${esc(x.title)}</button>`).join('') + `<button id="burst">${esc(t('sandbox-burst'))}</button>`;
  $('burst').onclick = () => post('/api/training/burst', {});
  const events = new EventSource('/api/events');
  events.addEventListener('changed', () => void refresh());
  document.body.dataset.ready = '1';
}

void init();
