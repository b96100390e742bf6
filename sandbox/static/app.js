/*
 * The demo's chat page: a small messenger over the sandbox's control API.
 *
 * Why it is written this way: the demo must run offline and be read by anyone, so it
 * is one vanilla script with no build step and no libraries.  Everything the page
 * shows comes from the control API:
 *   GET  /control/chats, /control/users        the tower of groups and the people
 *   GET  /control/chats/{id}/messages          one chat as a person sees it
 *   GET  /control/bot_commands                 the bot's command menu
 *   POST /control/messages, /control/callbacks act as the chosen person
 *   GET  /control/callback_answers/{id}        how the bot answered a button
 *   GET  /control/stream                       live changes (Server-Sent Events)
 *   GET  /control/files/{file_id}              photos and documents the bot sent
 * Message HTML comes from the sandbox (rendered from entities) and is still
 * sanitised here to the tags Telegram itself allows.
 */
"use strict";

(() => {
  // ------------------------------------------------------------------ strings

  const I18N = {
    zh: {
      appTitle: "塔群沙盒",
      search: "搜索群组或编号",
      offline: "连接中断，正在重连…",
      privateChats: "私聊",
      towerHeader: "塔群",
      noResults: "没有匹配的群组",
      levelHQ: "指挥部",
      level: "{n}级单元",
      membersShort: "{n}人",
      members: "{n} 位成员",
      parent: "上级：{name}",
      pickChat: "在左侧选择一个群组，以群成员的身份发言、点按钮。",
      noMessages: "还没有消息",
      sendAs: "发言人",
      commander: "指挥长",
      admin: "管理员",
      placeholder: "输入消息或 / 命令",
      send: "发送",
      reply: "回复",
      replyTo: "回复 {name}",
      cancelReply: "取消回复",
      edited: "已编辑",
      back: "返回",
      commands: "命令",
      bot: "机器人",
      pinned: "置顶",
      newMessages: "最新消息",
      download: "下载",
      photo: "图片",
      deletedQuote: "消息已删除",
      forceReply: "请回复这条消息",
      ok: "确定",
      expand: "展开",
      collapse: "收起",
      sendFailed: "发送失败：{error}",
      pressFailed: "按钮无效：{error}",
      loadFailed: "读取失败：{error}",
      privateWith: "与机器人私聊",
      langSwitch: "English",
      beijingTime: "北京时间",
      timesIn: "时间为北京时间",
    },
    en: {
      appTitle: "Tower sandbox",
      search: "Search groups or codes",
      offline: "Disconnected, reconnecting…",
      privateChats: "Private chats",
      towerHeader: "Tower of groups",
      noResults: "No matching groups",
      levelHQ: "HQ",
      level: "Level {n}",
      membersShort: "{n} ppl",
      members: "{n} members",
      parent: "Up: {name}",
      pickChat: "Pick a group on the left to speak and press buttons as one of its members.",
      noMessages: "No messages yet",
      sendAs: "Speaking as",
      commander: "commander",
      admin: "admin",
      placeholder: "Message or /command",
      send: "Send",
      reply: "Reply",
      replyTo: "Reply to {name}",
      cancelReply: "Cancel reply",
      edited: "edited",
      back: "Back",
      commands: "Commands",
      bot: "bot",
      pinned: "Pinned",
      newMessages: "Latest messages",
      download: "Download",
      photo: "Photo",
      deletedQuote: "Deleted message",
      forceReply: "Please reply to this message",
      ok: "OK",
      expand: "Expand",
      collapse: "Collapse",
      sendFailed: "Not sent: {error}",
      pressFailed: "Button failed: {error}",
      loadFailed: "Could not load: {error}",
      privateWith: "Private chat with the bot",
      langSwitch: "中文",
      beijingTime: "Beijing time",
      timesIn: "times in Beijing time",
    },
  };

  const LANG_KEY = "towerbot.demo.lang";
  let lang = localStorage.getItem(LANG_KEY) === "en" ? "en" : "zh";

  function t(key, vars) {
    let text = I18N[lang][key] ?? I18N.zh[key] ?? key;
    for (const [name, value] of Object.entries(vars || {})) {
      text = text.replaceAll(`{${name}}`, String(value));
    }
    return text;
  }

  // ------------------------------------------------------------------ state

  const S = {
    chats: new Map(), // id -> chat from /control/chats
    users: new Map(), // id -> user
    groups: [], // group ids in registration order
    privates: [], // private chat ids
    children: new Map(), // group id -> child group ids
    parentOf: new Map(), // group id -> parent group id (only if that parent is known)
    depth: new Map(),
    expanded: new Set(),
    expandedInit: false,
    unread: new Map(),
    current: null,
    senderByChat: new Map(),
    messages: [],
    byId: new Map(),
    rendered: new Map(), // message_id -> {sig, el, edits}
    replyTo: null,
    forceHandled: new Set(),
    commands: [],
    pending: new Map(), // callback_query_id -> button element
    answered: new Set(),
    stickBottom: false,
    atBottom: true,
    filter: "",
  };

  const $ = (selector) => document.querySelector(selector);
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    }
    return node;
  };

  // ------------------------------------------------------------------ API

  async function api(path, body) {
    const init = body === undefined ? {} : {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    };
    const response = await fetch(path, init);
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!response.ok) {
      const error = data && data.error;
      const message = Array.isArray(error) ? error.map((e) => e.msg || e).join("; ") : error;
      const failure = new Error(message || `HTTP ${response.status}`);
      failure.status = response.status;
      throw failure;
    }
    return data;
  }

  // ------------------------------------------------------------------ helpers

  const PALETTE = ["#e17076", "#faa774", "#a695e7", "#7bc862", "#6ec9cb", "#65aadd", "#ee7aae", "#e0a84a"];
  const colorOf = (id) => PALETTE[Math.abs(Number(id) % PALETTE.length)];

  function personName(user) {
    if (!user) return "?";
    return [user.first_name, user.last_name].filter(Boolean).join(" ");
  }

  function chatTitle(chat) {
    if (!chat) return "";
    if (chat.type === "private") return personName(S.users.get(chat.id) || chat);
    return chat.title || String(chat.id);
  }

  function initialOf(text) {
    const chars = Array.from((text || "?").trim());
    return chars.length ? chars[0].toUpperCase() : "?";
  }

  /** A group's avatar letter: what tells it apart from its parent and siblings
   * ("塔山村第三村民小组" under "塔山村" -> "三"), else its first letter. */
  function groupInitial(id) {
    const chat = S.chats.get(id);
    let title = chatTitle(chat);
    const parent = S.chats.get(S.parentOf.get(id));
    const parentTitle = parent ? chatTitle(parent) : "";
    if (parentTitle && title.startsWith(parentTitle) && title.length > parentTitle.length) {
      title = title.slice(parentTitle.length);
    }
    title = title.replace(/^[第#№\s]+/, "");
    const numeral = title.match(/^(?:\d{1,3}|[一二三四五六七八九十百零〇两]{1,3})/);
    return numeral ? numeral[0] : initialOf(title);
  }

  function avatar(id) {
    const letters = groupInitial(id);
    const size = Array.from(letters).length;
    return el("div", { class: `avatar${size > 1 ? ` small-${Math.min(size, 3)}` : ""}`, style: `background:${colorOf(id)}`, "aria-hidden": "true" }, letters);
  }

  function levelLabel(chat) {
    if (chat.level === null || chat.level === undefined) return "";
    return chat.level === 0 ? t("levelHQ") : t("level", { n: chat.level });
  }

  const STATUS_RANK = { creator: 0, administrator: 1, member: 2, restricted: 3 };

  /** People who can speak in a chat: the commander (creator) first, then admins, members. */
  function speakersOf(chat) {
    if (!chat) return [];
    if (chat.type === "private") return [chat.id];
    return Object.entries(chat.members || {})
      .filter(([id, status]) => status in STATUS_RANK && S.users.has(Number(id)))
      .map(([id, status]) => ({ id: Number(id), rank: STATUS_RANK[status] }))
      .sort((a, b) => a.rank - b.rank)
      .map((entry) => entry.id);
  }

  function memberCount(chat) {
    return speakersOf(chat).length;
  }

  // Times are Beijing time (UTC+8, no daylight saving since 1991), as in the bot's
  // own texts, whatever time zone the browser is in.
  const BEIJING_OFFSET_S = 8 * 3600;
  const two = (n) => String(n).padStart(2, "0");

  function beijing(seconds) {
    return new Date((seconds + BEIJING_OFFSET_S) * 1000);
  }

  function clock(seconds) {
    const date = beijing(seconds);
    return `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}`;
  }

  function stamp(seconds) {
    const date = beijing(seconds);
    return `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())} ` +
      `${clock(seconds)} ${t("beijingTime")}`;
  }

  function plainSnippet(message, max = 80) {
    if (!message) return t("deletedQuote");
    let text = message.text ?? message.caption ?? "";
    if (!text && message.photo) text = `🖼 ${t("photo")}`;
    if (!text && message.document) text = `📄 ${message.document.file_name || ""}`;
    text = text.replace(/\s+/g, " ").trim();
    return text.length > max ? `${text.slice(0, max)}…` : text;
  }

  function humanSize(bytes) {
    if (!bytes && bytes !== 0) return "";
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  // ------------------------------------------------------------------ sanitising HTML

  const ALLOWED_TAGS = new Set(["B", "STRONG", "I", "EM", "U", "INS", "S", "STRIKE", "DEL", "CODE", "PRE", "A", "BLOCKQUOTE", "TG-SPOILER", "SPAN"]);
  const DROPPED_TAGS = new Set(["SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "OBJECT", "EMBED", "NOSCRIPT", "TEXTAREA", "TITLE"]);
  const SAFE_LINK = /^(https?:|mailto:|tg:)/i;

  /** Telegram-style HTML -> a DocumentFragment with only Telegram's tags and safe attributes. */
  function sanitize(html) {
    const parsed = new DOMParser().parseFromString(`<body>${html || ""}</body>`, "text/html");
    const out = document.createDocumentFragment();
    const walk = (source, target) => {
      for (const node of source.childNodes) {
        if (node.nodeType === Node.TEXT_NODE) {
          target.append(document.createTextNode(node.data));
          continue;
        }
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        const tag = node.tagName.toUpperCase();
        if (DROPPED_TAGS.has(tag)) continue;
        if (!ALLOWED_TAGS.has(tag)) {
          walk(node, target); // unknown tag: keep its text only
          continue;
        }
        let copy;
        if (tag === "A") {
          const href = (node.getAttribute("href") || "").trim();
          if (/^tg:\/\/user\?id=\d+$/i.test(href)) {
            copy = document.createElement("span");
            copy.className = "mention";
          } else if (SAFE_LINK.test(href)) {
            copy = document.createElement("a");
            copy.href = href;
            copy.target = "_blank";
            copy.rel = "noopener noreferrer";
          } else {
            copy = document.createElement("span");
          }
        } else if (tag === "TG-SPOILER" || (tag === "SPAN" && node.classList.contains("tg-spoiler"))) {
          copy = document.createElement("span");
          copy.className = "spoiler";
          copy.title = "spoiler";
        } else if (tag === "SPAN") {
          copy = document.createElement("span");
        } else {
          copy = document.createElement(tag.toLowerCase());
          if (tag === "CODE") {
            const language = (node.getAttribute("class") || "").match(/^language-[\w+#-]{1,32}$/);
            if (language) copy.className = language[0];
          }
          if (tag === "BLOCKQUOTE" && node.hasAttribute("expandable")) copy.className = "expandable";
        }
        walk(node, copy);
        target.append(copy);
      }
    };
    walk(parsed.body, out);
    return out;
  }

  // ------------------------------------------------------------------ toasts and alerts

  function toast(text, kind = "info") {
    const node = el("div", { class: `toast ${kind}`, role: "status" }, text);
    $("#toasts").append(node);
    setTimeout(() => node.classList.add("gone"), 2600);
    setTimeout(() => node.remove(), 3000);
  }

  function alertBox(text) {
    $("#alert-text").textContent = text;
    const dialog = $("#alert");
    if (!dialog.open) dialog.showModal();
  }

  // ------------------------------------------------------------------ directory (the tower)

  async function loadDirectory() {
    let chats;
    let users;
    try {
      [chats, users] = await Promise.all([api("/control/chats"), api("/control/users")]);
    } catch (error) {
      toast(t("loadFailed", { error: error.message }), "error");
      return;
    }
    S.users = new Map(users.map((user) => [user.id, user]));
    S.chats = new Map(chats.map((chat) => [chat.id, chat]));
    S.groups = chats.filter((chat) => chat.type !== "private").map((chat) => chat.id);
    S.privates = chats.filter((chat) => chat.type === "private").map((chat) => chat.id);
    S.children = new Map(S.groups.map((id) => [id, []]));
    S.parentOf = new Map();
    for (const id of S.groups) {
      const parent = S.chats.get(id).parent_id;
      if (parent !== null && parent !== undefined && S.children.has(parent) && parent !== id) {
        S.children.get(parent).push(id);
        S.parentOf.set(id, parent);
      }
    }
    S.depth = new Map();
    const depthOf = (id, seen = new Set()) => {
      if (S.depth.has(id)) return S.depth.get(id);
      const parent = S.parentOf.get(id);
      const depth = parent === undefined || seen.has(parent) ? 0 : depthOf(parent, seen.add(id)) + 1;
      S.depth.set(id, depth);
      return depth;
    };
    S.groups.forEach((id) => depthOf(id));
    if (!S.expandedInit && S.groups.length) {
      // Open the top of the tower: HQ and its direct units are visible at first.
      for (const id of S.groups) if (S.depth.get(id) === 0) S.expanded.add(id);
      S.expandedInit = true;
    }
    renderTree();
    if (S.current !== null) {
      if (S.chats.has(S.current)) renderHeader();
      else closeChat();
    }
  }

  function roots() {
    return S.groups.filter((id) => !S.parentOf.has(id));
  }

  function subtreeUnread(id) {
    let total = 0;
    for (const child of S.children.get(id) || []) {
      total += (S.unread.get(child) || 0) + subtreeUnread(child);
    }
    return total;
  }

  function matches(id, query) {
    const chat = S.chats.get(id);
    const haystack = `${chatTitle(chat)} ${chat.unit_code || ""} ${id}`.toLowerCase();
    return haystack.includes(query);
  }

  let treeQueued = false;
  function scheduleTree() {
    if (treeQueued) return;
    treeQueued = true;
    requestAnimationFrame(() => {
      treeQueued = false;
      renderTree();
    });
  }

  function renderTree() {
    const nav = $("#tower");
    const query = S.filter.trim().toLowerCase();
    const rows = [];
    let shown = null; // with a query: the matches and their ancestors
    if (query) {
      shown = new Set();
      for (const id of [...S.groups, ...S.privates]) {
        if (!matches(id, query)) continue;
        for (let cur = id; cur !== undefined; cur = S.parentOf.get(cur)) {
          if (shown.has(cur)) break;
          shown.add(cur);
        }
      }
    }
    const visit = (id) => {
      if (shown && !shown.has(id)) return;
      const kids = S.children.get(id) || [];
      const open = shown ? true : S.expanded.has(id);
      rows.push(treeRow(id, kids.length > 0, open, query));
      if (open) kids.forEach(visit);
    };
    roots().forEach(visit);
    const privates = S.privates.filter((id) => !shown || shown.has(id));
    if (privates.length) {
      rows.push(el("div", { class: "section" }, t("privateChats")));
      privates.forEach((id) => rows.push(treeRow(id, false, false, query)));
    }
    if (!rows.length) rows.push(el("div", { class: "empty-list" }, query ? t("noResults") : ""));
    nav.replaceChildren(...rows);
  }

  function treeRow(id, hasKids, open, query) {
    const chat = S.chats.get(id);
    const title = chatTitle(chat);
    const depth = S.depth.get(id) || 0;
    const unread = S.unread.get(id) || 0;
    const hidden = hasKids && !open ? subtreeUnread(id) : 0;
    const sub = chat.type === "private"
      ? t("privateWith")
      : [levelLabel(chat), chat.unit_code, t("membersShort", { n: memberCount(chat) })].filter(Boolean).join(" · ");
    const caret = hasKids
      ? el("button", {
        class: `caret${open ? " open" : ""}`,
        type: "button",
        title: open ? t("collapse") : t("expand"),
        "aria-expanded": open ? "true" : "false",
        disabled: Boolean(query),
        onclick: (event) => {
          event.stopPropagation();
          if (S.expanded.has(id)) S.expanded.delete(id);
          else S.expanded.add(id);
          renderTree();
        },
      }, "▸")
      : el("span", { class: "caret-space" });
    return el(
      "div",
      {
        class: `row${id === S.current ? " active" : ""}`,
        role: "button",
        tabindex: "0",
        "data-chat-id": id,
        style: `--depth:${depth}`,
        title,
        onclick: () => openChat(id),
        onkeydown: (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            openChat(id);
          }
        },
      },
      caret,
      avatar(id),
      el("div", { class: "row-main" },
        el("div", { class: "row-title" }, title),
        el("div", { class: "row-sub" }, sub)),
      unread ? el("span", { class: "badge", "data-unread": unread }, unread > 999 ? "999+" : String(unread)) : null,
      hidden ? el("span", { class: "badge muted", title: "↓" }, `+${hidden > 999 ? "999" : hidden}`) : null,
    );
  }

  // ------------------------------------------------------------------ opening a chat

  function openChat(id) {
    const changed = S.current !== id;
    S.current = id;
    S.unread.set(id, 0);
    for (let cur = S.parentOf.get(id); cur !== undefined; cur = S.parentOf.get(cur)) S.expanded.add(cur);
    history.replaceState(null, "", `#chat=${id}`);
    $("#app").className = "show-chat";
    S.atBottom = true;
    if (changed) {
      S.messages = [];
      S.byId = new Map();
      S.rendered = new Map();
      $("#messages").replaceChildren();
      clearReply();
      S.stickBottom = true;
      $("#text").placeholder = t("placeholder");
      $("#keyboard").hidden = true;
      $("#commands").hidden = true;
    }
    renderHeader();
    renderSenders();
    renderTree();
    $("#composer").hidden = false;
    scheduleRefresh(0);
    if (window.matchMedia("(min-width: 721px)").matches) $("#text").focus({ preventScroll: true });
  }

  function closeChat() {
    S.current = null;
    history.replaceState(null, "", "#");
    $("#app").className = "show-list no-chat";
    $("#composer").hidden = true;
    $("#pinned").hidden = true;
    $("#chat-avatar").hidden = true;
    $("#chat-name").textContent = "";
    $("#chat-sub").replaceChildren();
    $("#messages").replaceChildren();
    $("#messages").dataset.empty = t("pickChat");
    S.rendered = new Map();
    renderTree();
  }

  function renderHeader() {
    const chat = S.chats.get(S.current);
    if (!chat) return;
    const title = chatTitle(chat);
    const avatarBox = $("#chat-avatar");
    avatarBox.hidden = false;
    avatarBox.style.background = colorOf(chat.id);
    avatarBox.textContent = groupInitial(chat.id);
    avatarBox.className = avatar(chat.id).className;
    $("#chat-name").textContent = title;
    document.title = `${title} · ${t("appTitle")}`;
    const parts = [];
    if (chat.type === "private") parts.push(t("privateWith"));
    else {
      parts.push(t("members", { n: memberCount(chat) }));
      if (levelLabel(chat)) parts.push(levelLabel(chat));
      if (chat.unit_code) parts.push(chat.unit_code);
    }
    parts.push(t("timesIn"));
    const sub = [document.createTextNode(parts.join(" · "))];
    const parent = S.parentOf.get(chat.id);
    if (parent !== undefined) {
      sub.push(document.createTextNode(" · "));
      sub.push(el("a", {
        href: `#chat=${parent}`,
        class: "parent-link",
        onclick: (event) => {
          event.preventDefault();
          openChat(parent);
        },
      }, t("parent", { name: chatTitle(S.chats.get(parent)) })));
    }
    $("#chat-sub").replaceChildren(...sub);
    $("#messages").dataset.empty = t("noMessages");
  }

  function renderSenders() {
    const chat = S.chats.get(S.current);
    const select = $("#sender");
    const people = speakersOf(chat);
    const chosen = S.senderByChat.get(S.current);
    select.replaceChildren(...people.map((id) => {
      const status = chat.type === "private" ? "member" : chat.members[String(id)];
      const role = status === "creator" ? ` · ${t("commander")}` : status === "administrator" ? ` · ${t("admin")}` : "";
      return el("option", { value: id }, `${personName(S.users.get(id))}${role}`);
    }));
    if (chosen !== undefined && people.includes(chosen)) select.value = String(chosen);
    select.disabled = people.length <= 1;
  }

  function currentSender() {
    const value = $("#sender").value;
    return value ? Number(value) : null;
  }

  // ------------------------------------------------------------------ messages

  let refreshTimer = null;
  let refreshing = false;
  let refreshAgain = false;

  function scheduleRefresh(delay = 60) {
    if (S.current === null) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, delay);
  }

  async function refresh() {
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = true;
    try {
      do {
        refreshAgain = false;
        const id = S.current;
        if (id === null) break;
        let messages;
        try {
          messages = await api(`/control/chats/${id}/messages`);
        } catch (error) {
          if (error.status === 404) closeChat();
          else toast(t("loadFailed", { error: error.message }), "error");
          break;
        }
        if (id === S.current) renderMessages(messages);
      } while (refreshAgain);
    } finally {
      refreshing = false;
    }
  }

  function nearBottom(box) {
    return box.scrollHeight - box.scrollTop - box.clientHeight < 120;
  }

  function renderMessages(messages) {
    const box = $("#messages");
    const stick = S.stickBottom || nearBottom(box);
    S.messages = messages;
    S.byId = new Map(messages.map((m) => [m.message_id, m]));
    const visible = messages.filter((m) => !m.deleted);
    const me = currentSender();
    const seen = new Set();
    let previousNode = null;
    let previous = null;
    for (const message of visible) {
      const continued = Boolean(previous && previous.from_id === message.from_id && message.date - previous.date < 300 && !message.reply_to_message_id);
      const quoted = message.reply_to_message_id ? S.byId.get(message.reply_to_message_id) : null;
      const sig = JSON.stringify([
        lang, me === message.from_id, continued, message.html, message.edit_count, message.reply_markup,
        message.reply_keyboard, message.photo, message.document, message.pinned,
        quoted ? [quoted.deleted, plainSnippet(quoted)] : null,
      ]);
      let entry = S.rendered.get(message.message_id);
      if (!entry || entry.sig !== sig) {
        const node = renderMessage(message, me, continued, quoted);
        if (entry) {
          entry.el.replaceWith(node);
          if (message.edit_count > entry.edits) flash(node);
        }
        entry = { sig, el: node, edits: message.edit_count };
        S.rendered.set(message.message_id, entry);
      }
      const expected = previousNode ? previousNode.nextSibling : box.firstChild;
      if (entry.el !== expected) box.insertBefore(entry.el, expected);
      previousNode = entry.el;
      previous = message;
      seen.add(message.message_id);
    }
    for (const [id, entry] of S.rendered) {
      if (!seen.has(id)) {
        entry.el.remove();
        S.rendered.delete(id);
      }
    }
    if (S.replyTo !== null && !seen.has(S.replyTo)) clearReply();
    renderPinned(visible);
    renderReplyKeyboard(visible);
    applyForceReply(visible, me);
    if (stick) {
      box.scrollTop = box.scrollHeight;
      S.stickBottom = false;
    }
    updateToBottom();
  }

  function flash(node) {
    node.classList.remove("flash");
    void node.offsetWidth; // restart the animation
    node.classList.add("flash");
  }

  function renderMessage(message, me, continued, quoted) {
    const own = !message.is_bot && message.from_id === me;
    const sender = message.from || S.users.get(message.from_id);
    const bubble = el("div", { class: "bubble" });
    if (!own && !continued) {
      bubble.append(el("div", { class: "sender", style: `color:${colorOf(message.from_id)}` },
        personName(sender),
        message.is_bot ? el("span", { class: "bot-tag" }, t("bot")) : null));
    }
    if (message.reply_to_message_id) {
      const target = quoted && !quoted.deleted ? quoted : null;
      bubble.append(el("button", {
        class: "quote",
        type: "button",
        style: `--quote:${colorOf(target ? target.from_id : 0)}`,
        onclick: () => target && scrollToMessage(target.message_id),
      },
      el("span", { class: "quote-name" }, target ? personName(target.from) : t("reply")),
      el("span", { class: "quote-text" }, plainSnippet(target))));
    }
    if (message.photo && message.photo.length) {
      const size = message.photo[message.photo.length - 1];
      const url = `/control/files/${encodeURIComponent(size.file_id)}`;
      const img = el("img", {
        class: "photo",
        src: url,
        alt: t("photo"),
        loading: "lazy",
        onload: () => {
          if (S.atBottom) $("#messages").scrollTop = $("#messages").scrollHeight;
        },
      });
      if (size.width && size.height) img.style.aspectRatio = `${size.width} / ${size.height}`;
      bubble.append(el("a", { href: url, target: "_blank", rel: "noopener", class: "photo-link" }, img));
    }
    if (message.document) {
      const doc = message.document;
      bubble.append(el("a", {
        class: "doc",
        href: `/control/files/${encodeURIComponent(doc.file_id)}`,
        download: doc.file_name || "",
        title: t("download"),
      },
      el("span", { class: "doc-icon", "aria-hidden": "true" }, "⬇"),
      el("span", { class: "doc-body" },
        el("span", { class: "doc-name" }, doc.file_name || t("download")),
        el("span", { class: "doc-size" }, humanSize(doc.file_size)))));
    }
    const meta = el("span", { class: "meta" },
      message.edit_count > 0 ? el("span", { class: "edited" }, t("edited")) : null,
      el("time", { class: "clock", title: stamp(message.date) }, clock(message.date)));
    if (message.html) {
      const text = el("div", { class: "text" });
      text.append(sanitize(message.html), meta);
      bubble.append(text);
    } else {
      bubble.append(el("div", { class: "text meta-only" }, meta));
    }
    if (message.reply_keyboard && message.reply_keyboard.force_reply) {
      bubble.append(el("div", { class: "force-hint" }, `↩ ${t("forceReply")}`));
    }
    const column = el("div", { class: "column" }, bubble);
    const keyboard = message.reply_markup && message.reply_markup.inline_keyboard;
    if (keyboard && keyboard.length) column.append(inlineKeyboard(message, keyboard));
    const actions = el("div", { class: "actions" },
      el("button", {
        class: "reply-btn",
        type: "button",
        title: t("reply"),
        onclick: () => setReply(message),
      }, t("reply")));
    const node = el("div", {
      class: `msg ${own ? "own" : "other"}${message.is_bot ? " from-bot" : ""}${continued ? " cont" : ""}`,
      "data-message-id": message.message_id,
      "data-edit-count": message.edit_count,
    }, column, actions);
    bubble.addEventListener("dblclick", () => setReply(message));
    return node;
  }

  function inlineKeyboard(message, rows) {
    return el("div", { class: "ikb" }, ...rows.map((row) => el("div", { class: "ikb-row" }, ...row.map((button) => {
      if (button.url) {
        return el("a", { class: "ikb-btn", href: button.url, target: "_blank", rel: "noopener noreferrer" }, button.text, el("span", { class: "ikb-ext" }, "↗"));
      }
      if (button.callback_data !== undefined) {
        return el("button", {
          class: "ikb-btn",
          type: "button",
          "data-callback": button.callback_data,
          onclick: (event) => press(message, button, event.currentTarget),
        }, button.text);
      }
      return el("button", { class: "ikb-btn", type: "button", disabled: true }, button.text);
    }))));
  }

  function scrollToMessage(id) {
    const entry = S.rendered.get(id);
    if (!entry) return;
    entry.el.scrollIntoView({ block: "center", behavior: "smooth" });
    flash(entry.el);
  }

  function renderPinned(visible) {
    const pinned = [...visible].reverse().find((m) => m.pinned);
    const bar = $("#pinned");
    bar.hidden = !pinned;
    if (pinned) {
      $("#pinned-text").textContent = plainSnippet(pinned, 120);
      bar.onclick = () => scrollToMessage(pinned.message_id);
    }
  }

  function renderReplyKeyboard(visible) {
    const box = $("#keyboard");
    const last = [...visible].reverse().find((m) => m.is_bot && m.reply_keyboard && (m.reply_keyboard.keyboard || m.reply_keyboard.remove_keyboard));
    const rows = last && last.reply_keyboard.keyboard;
    box.hidden = !rows;
    if (!rows) return;
    box.replaceChildren(...rows.map((row) => el("div", { class: "kb-row" }, ...row.map((button) => {
      const text = typeof button === "string" ? button : button.text;
      return el("button", { class: "kb-btn", type: "button", onclick: () => sendText(text) }, text);
    }))));
  }

  function applyForceReply(visible, me) {
    const last = visible[visible.length - 1];
    if (!last || !last.is_bot || !last.reply_keyboard || !last.reply_keyboard.force_reply) return;
    const key = `${S.current}:${last.message_id}`;
    if (S.forceHandled.has(key)) return;
    const markup = last.reply_keyboard;
    if (markup.selective && last.reply_to_message_id) {
      const target = S.byId.get(last.reply_to_message_id);
      if (target && target.from_id !== me) return;
    }
    S.forceHandled.add(key);
    setReply(last);
    if (markup.input_field_placeholder) $("#text").placeholder = markup.input_field_placeholder;
  }

  function updateToBottom() {
    const box = $("#messages");
    S.atBottom = nearBottom(box);
    $("#to-bottom").hidden = S.current === null || S.atBottom;
  }

  // ------------------------------------------------------------------ replying and sending

  function setReply(message) {
    S.replyTo = message.message_id;
    $("#reply-name").textContent = t("replyTo", { name: personName(message.from) });
    $("#reply-text").textContent = plainSnippet(message);
    $("#reply-bar").hidden = false;
    $("#text").focus();
  }

  function clearReply() {
    S.replyTo = null;
    $("#reply-bar").hidden = true;
    $("#text").placeholder = t("placeholder");
  }

  async function sendText(text) {
    const from = currentSender();
    if (S.current === null || from === null || !text.trim()) return false;
    const body = { chat_id: S.current, from_id: from, text };
    if (S.replyTo !== null) body.reply_to_message_id = S.replyTo;
    try {
      await api("/control/messages", body);
    } catch (error) {
      toast(t("sendFailed", { error: error.message }), "error");
      return false;
    }
    clearReply();
    S.stickBottom = true;
    scheduleRefresh(0);
    return true;
  }

  async function sendFromBox() {
    const box = $("#text");
    const text = box.value;
    if (!text.trim()) return;
    $("#send").disabled = true;
    try {
      if (await sendText(text)) {
        box.value = "";
        autosize();
        $("#commands").hidden = true;
      }
    } finally {
      $("#send").disabled = false;
      box.focus();
    }
  }

  function autosize() {
    const box = $("#text");
    box.style.height = "auto";
    box.style.height = `${Math.min(box.scrollHeight, 160)}px`;
  }

  // ------------------------------------------------------------------ buttons

  async function press(message, button, node) {
    const from = currentSender();
    if (from === null) return;
    node.classList.add("pending");
    let result;
    try {
      result = await api("/control/callbacks", {
        chat_id: S.current,
        message_id: message.message_id,
        from_id: from,
        data: button.callback_data,
      });
    } catch (error) {
      node.classList.remove("pending");
      toast(t("pressFailed", { error: error.message }), "error");
      return;
    }
    const queryId = result.callback_query_id;
    S.pending.set(queryId, node);
    setTimeout(() => finishPress(queryId, false), 10000);
    if (S.answered.has(queryId)) finishPress(queryId, true);
  }

  async function finishPress(queryId, answered) {
    const node = S.pending.get(queryId);
    if (!node) return;
    S.pending.delete(queryId);
    node.classList.remove("pending");
    if (!answered) return;
    let answer;
    try {
      answer = await api(`/control/callback_answers/${encodeURIComponent(queryId)}`);
    } catch {
      return;
    }
    if (answer.text) {
      if (answer.show_alert) alertBox(answer.text);
      else toast(answer.text);
    }
    if (answer.url) toast(answer.url);
  }

  // ------------------------------------------------------------------ commands menu

  async function loadCommands() {
    let entries = [];
    try {
      entries = await api("/control/bot_commands");
    } catch {
      entries = [];
    }
    const defaults = entries.filter((entry) => !entry.scope || entry.scope.type === "default" || entry.scope.type === "all_group_chats");
    const wanted = lang === "en" ? "en" : "";
    const pick = defaults.find((entry) => entry.language_code === wanted) || defaults.find((entry) => entry.language_code === "") || defaults[0];
    S.commands = pick ? pick.commands : [];
    $("#cmd-btn").hidden = !S.commands.length;
  }

  function showCommands(prefix) {
    const box = $("#commands");
    const wanted = (prefix || "").toLowerCase();
    const list = S.commands.filter((c) => c.command.startsWith(wanted));
    if (!list.length) {
      box.hidden = true;
      return;
    }
    box.replaceChildren(...list.map((command) => el("button", {
      class: "cmd",
      type: "button",
      onclick: () => {
        const text = $("#text");
        text.value = `/${command.command} `;
        box.hidden = true;
        autosize();
        text.focus();
      },
    }, el("span", { class: "cmd-name" }, `/${command.command}`), el("span", { class: "cmd-desc" }, command.description))));
    box.hidden = false;
  }

  // ------------------------------------------------------------------ live updates

  let directoryTimer = null;
  function scheduleDirectory() {
    clearTimeout(directoryTimer);
    directoryTimer = setTimeout(loadDirectory, 150);
  }

  function handleEvent(event) {
    switch (event.type) {
      case "message":
      case "edit":
      case "delete":
      case "pin":
        if (event.chat_id === S.current) scheduleRefresh();
        else if (event.type === "message" && S.chats.has(event.chat_id)) {
          S.unread.set(event.chat_id, (S.unread.get(event.chat_id) || 0) + 1);
          scheduleTree();
        }
        break;
      case "callback_answer":
        S.answered.add(event.callback_query_id);
        if (S.answered.size > 500) S.answered.delete(S.answered.values().next().value);
        finishPress(event.callback_query_id, true);
        break;
      case "chat":
      case "chat_member":
      case "user":
        scheduleDirectory();
        break;
      case "commands":
        loadCommands();
        break;
      case "reset":
        S.unread.clear();
        scheduleDirectory();
        scheduleRefresh();
        break;
      default:
        break;
    }
  }

  let everConnected = false;
  function connect() {
    const source = new EventSource("/control/stream");
    source.addEventListener("hello", () => {
      $("#conn").hidden = true;
      if (everConnected) {
        // Back after a break: the sandbox may have restarted; read everything again.
        loadDirectory();
        loadCommands();
      }
      everConnected = true;
      scheduleRefresh(0);
    });
    source.addEventListener("resync", () => {
      loadDirectory();
      scheduleRefresh(0);
    });
    source.onmessage = (message) => {
      try {
        handleEvent(JSON.parse(message.data));
      } catch (error) {
        console.error(error);
      }
    };
    source.onerror = () => {
      $("#conn").hidden = false;
    };
  }

  // ------------------------------------------------------------------ language

  function applyI18n() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
    for (const node of document.querySelectorAll("[data-i18n-title]")) node.title = t(node.dataset.i18nTitle);
    $("#lang").textContent = t("langSwitch");
    $("#messages").dataset.empty = S.current === null ? t("pickChat") : t("noMessages");
    document.title = t("appTitle");
  }

  function switchLanguage() {
    lang = lang === "zh" ? "en" : "zh";
    localStorage.setItem(LANG_KEY, lang);
    applyI18n();
    renderTree();
    loadCommands();
    if (S.current !== null) {
      renderHeader();
      renderSenders();
      if (S.replyTo !== null) {
        const message = S.byId.get(S.replyTo);
        if (message) $("#reply-name").textContent = t("replyTo", { name: personName(message.from) });
      }
      renderMessages(S.messages);
    }
  }

  // ------------------------------------------------------------------ wiring

  function wire() {
    $("#lang").addEventListener("click", switchLanguage);
    $("#search").addEventListener("input", (event) => {
      S.filter = event.target.value;
      renderTree();
    });
    $("#back").addEventListener("click", closeChat);
    $("#reply-cancel").addEventListener("click", clearReply);
    $("#send").addEventListener("click", sendFromBox);
    $("#sender").addEventListener("change", () => {
      S.senderByChat.set(S.current, currentSender());
      S.forceHandled.clear();
      renderMessages(S.messages);
    });
    const text = $("#text");
    text.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        sendFromBox();
      } else if (event.key === "Escape") {
        $("#commands").hidden = true;
        clearReply();
      }
    });
    text.addEventListener("input", () => {
      autosize();
      const match = text.value.match(/^\/(\w*)$/);
      if (match) showCommands(match[1]);
      else $("#commands").hidden = true;
    });
    $("#cmd-btn").addEventListener("click", () => {
      const box = $("#commands");
      if (box.hidden) showCommands("");
      else box.hidden = true;
    });
    $("#messages").addEventListener("scroll", updateToBottom, { passive: true });
    // The composer grows (reply bar, keyboard, long text) or the window turns: a
    // reader who was at the newest message stays there.
    new ResizeObserver(() => {
      const box = $("#messages");
      if (S.atBottom) box.scrollTop = box.scrollHeight;
    }).observe($("#messages"));
    $("#to-bottom").addEventListener("click", () => {
      const box = $("#messages");
      box.scrollTo({ top: box.scrollHeight, behavior: "smooth" });
    });
    $("#messages").addEventListener("click", (event) => {
      const spoiler = event.target.closest(".spoiler");
      if (spoiler) spoiler.classList.toggle("revealed");
    });
  }

  async function start() {
    applyI18n();
    wire();
    await Promise.all([loadDirectory(), loadCommands()]);
    const wanted = Number((location.hash.match(/chat=(-?\d+)/) || [])[1]);
    if (wanted && S.chats.has(wanted)) openChat(wanted);
    connect();
    document.body.dataset.ready = "1";
  }

  start();
})();
