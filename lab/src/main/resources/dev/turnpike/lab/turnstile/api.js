/* Turnpike lab: Cloudflare Turnstile api.js (LAB.md L1). Implements the public contract of
   https://challenges.cloudflare.com/turnstile/v0/api.js against the lab's widget. */
(function () {
  'use strict';
  if (window.turnstile && window.turnstile.__lab) {
    console.warn('[Cloudflare Turnstile] Turnstile already has been loaded. Was Turnstile imported multiple times?');
    return;
  }

  var PREFIX = '[Cloudflare Turnstile] ';
  var SCRIPT_RE = /^https:\/\/challenges(\.fed)?\.cloudflare\.com\/turnstile\/v0(\/.*)?\/api\.js/;
  var CHALLENGE_ORIGINS = ['https://challenges.cloudflare.com', 'https://challenges.fed.cloudflare.com'];
  var SITEKEY_RE = /^[0-9A-Za-z_-]{3,100}$/;
  var ACTION_RE = /^[a-z0-9_-]{0,32}$/i;
  var CDATA_RE = /^[a-z0-9_\-=]{0,255}$/i;
  var WIDGET_PREFIX = 'cf-chl-widget-';
  var DEFAULT_RETRY_INTERVAL = 8000;
  var MAX_RETRY_INTERVAL = 900000;
  var DEFAULT_WATCHDOG_MS = 300000;
  var CODE_INVALID_SITEKEY_PARAM = 110110;
  var CODE_INVALID_ACTION = 110420;
  var CODE_INVALID_CDATA = 110430;
  var CODE_HUNG = 300030;
  /* Sitekeys whose widget the lab renders differently (hostile modes shadowMode / legacyIframePath). */
  var LAB_DOM = /*LAB_DOM*/{};
  var RCH = /*LAB_RCH*/'v1';

  function findOwnScript() {
    var current = document.currentScript;
    if (current && current.src && SCRIPT_RE.test(current.src)) {
      return current;
    }
    var scripts = document.querySelectorAll('script[src]');
    for (var i = 0; i < scripts.length; i++) {
      if (SCRIPT_RE.test(scripts[i].src)) {
        return scripts[i];
      }
    }
    return null;
  }

  var script = findOwnScript();
  if (!script) {
    console.error(PREFIX + 'Could not find Turnstile valid script tag, some features may not be available');
    throw new Error(PREFIX + 'Could not find Turnstile valid script tag');
  }
  var scriptUrl = new URL(script.src);
  var scriptParams = scriptUrl.searchParams;
  var challengeOrigin = scriptUrl.origin;
  var explicitOnly = scriptParams.get('render') === 'explicit';
  var onloadName = scriptParams.get('onload');
  /* reCAPTCHA compatibility (Cloudflare's migration guide): grecaptcha, .g-recaptcha, g-recaptcha-response. */
  var compat = scriptParams.get('compat') === 'recaptcha';
  var scriptAsync = script.async || script.defer || script.hasAttribute('async') || script.hasAttribute('defer');

  var widgets = {};          /* full widget id -> widget */
  var order = [];            /* full widget ids, oldest first */

  /* data-* attribute -> render parameter. */
  var DATA_ATTRS = {
    'sitekey': 'sitekey', 'action': 'action', 'cdata': 'cData', 'callback': 'callback',
    'error-callback': 'error-callback', 'expired-callback': 'expired-callback',
    'timeout-callback': 'timeout-callback', 'before-interactive-callback': 'before-interactive-callback',
    'after-interactive-callback': 'after-interactive-callback', 'unsupported-callback': 'unsupported-callback',
    'theme': 'theme', 'size': 'size', 'retry': 'retry', 'retry-interval': 'retry-interval',
    'refresh-expired': 'refresh-expired', 'refresh-timeout': 'refresh-timeout',
    'response-field': 'response-field', 'response-field-name': 'response-field-name',
    'execution': 'execution', 'appearance': 'appearance', 'language': 'language', 'tabindex': 'tabindex',
    'feedback-enabled': 'feedback-enabled', 'chl-page-data': 'chlPageData', 'shadow-mode': 'shadowMode'
  };
  var CALLBACKS = ['callback', 'error-callback', 'expired-callback', 'timeout-callback',
    'before-interactive-callback', 'after-interactive-callback', 'unsupported-callback'];

  function randomId() {
    var chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
    for (;;) {
      var id = '';
      var bytes = new Uint8Array(5);
      crypto.getRandomValues(bytes);
      for (var i = 0; i < 5; i++) {
        id += chars.charAt(bytes[i] % chars.length);
      }
      if (!widgets[WIDGET_PREFIX + id]) {
        return id;
      }
    }
  }

  function TurnstileError(message, code) {
    var error = new Error(PREFIX + message);
    error.name = 'TurnstileError';
    error.code = code;
    return error;
  }

  function paramsFromData(el) {
    var params = {};
    for (var attr in DATA_ATTRS) {
      var value = el.getAttribute('data-' + attr);
      if (value !== null) {
        params[DATA_ATTRS[attr]] = value;
      }
    }
    return params;
  }

  /* A callback given as a function, or as the name of a global function (data-* attributes). */
  function resolveCallback(value) {
    if (typeof value === 'function') {
      return value;
    }
    if (typeof value === 'string' && value) {
      var fn = window[value];
      if (typeof fn === 'function') {
        return fn;
      }
      console.warn(PREFIX + 'Unable to find callback function "' + value + '"');
    }
    return null;
  }

  function call(widget, name) {
    var fn = resolveCallback(widget.params[name]);
    if (!fn) {
      return undefined;
    }
    var args = Array.prototype.slice.call(arguments, 2);
    try {
      return fn.apply(window, args);
    } catch (e) {
      console.error(PREFIX + 'Error in ' + name, e);
      return undefined;
    }
  }

  function oneOf(value, allowed, fallback, name) {
    if (value === undefined || value === null || value === '') {
      return fallback;
    }
    value = String(value);
    if (allowed.indexOf(value) < 0) {
      console.warn(PREFIX + 'Unknown ' + name + ' "' + value + '", using "' + fallback + '"');
      return fallback;
    }
    return value;
  }

  function normalize(params) {
    var p = {};
    for (var k in params) {
      p[k] = params[k];
    }
    p.theme = oneOf(p.theme, ['auto', 'light', 'dark'], 'auto', 'theme');
    p.size = oneOf(p.size, ['normal', 'compact', 'flexible', 'invisible'], 'normal', 'size');
    p.retry = oneOf(p.retry, ['auto', 'never'], 'auto', 'retry');
    p['refresh-expired'] = oneOf(p['refresh-expired'], ['auto', 'manual', 'never'], 'auto', 'refresh-expired');
    p['refresh-timeout'] = oneOf(p['refresh-timeout'], ['auto', 'manual', 'never'], 'auto', 'refresh-timeout');
    p.execution = oneOf(p.execution, ['render', 'execute'], 'render', 'execution');
    p.appearance = oneOf(p.appearance, ['always', 'execute', 'interaction-only'], 'always', 'appearance');
    p.shadowMode = oneOf(p.shadowMode, ['closed', 'open', 'none'], 'closed', 'shadowMode');
    var interval = p['retry-interval'];
    if (interval === undefined || interval === null || interval === '') {
      p['retry-interval'] = DEFAULT_RETRY_INTERVAL;
    } else {
      interval = Number(interval);
      if (!(interval > 0 && interval <= MAX_RETRY_INTERVAL) || Math.floor(interval) !== interval) {
        console.warn(PREFIX + 'Invalid retry-interval, using ' + DEFAULT_RETRY_INTERVAL);
        interval = DEFAULT_RETRY_INTERVAL;
      }
      p['retry-interval'] = interval;
    }
    var field = p['response-field'];
    p['response-field'] = !(field === false || field === 'false');
    p['response-field-name'] = p['response-field-name'] ? String(p['response-field-name']) : 'cf-turnstile-response';
    p.action = p.action === undefined || p.action === null ? '' : String(p.action);
    p.cData = p.cData === undefined || p.cData === null ? '' : String(p.cData);
    p.language = p.language ? String(p.language) : 'auto';
    return p;
  }

  /* Validation (L1): a failure calls error-callback with the code, or throws when there is none. */
  function validate(p) {
    if (typeof p.sitekey !== 'string' || !SITEKEY_RE.test(p.sitekey)) {
      return {code: CODE_INVALID_SITEKEY_PARAM, message: 'Invalid or missing type for parameter "sitekey", got "' + p.sitekey + '"'};
    }
    if (!ACTION_RE.test(p.action)) {
      return {code: CODE_INVALID_ACTION, message: 'Invalid input for optional parameter "action", got "' + p.action + '"'};
    }
    if (!CDATA_RE.test(p.cData)) {
      return {code: CODE_INVALID_CDATA, message: 'Invalid input for optional parameter "cData", got "' + p.cData + '"'};
    }
    return null;
  }

  function findContainer(target) {
    if (typeof target === 'string') {
      var el = document.querySelector(target);
      if (!el) {
        throw TurnstileError('Unable to find a container for "' + target + '"');
      }
      return el;
    }
    if (target && target.nodeType === 1) {
      return target;
    }
    throw TurnstileError('Invalid type for "container", expected "string" or an implementation of "HTMLElement"');
  }

  function widgetOfContainer(el) {
    for (var i = 0; i < order.length; i++) {
      if (widgets[order[i]].container === el) {
        return widgets[order[i]];
      }
    }
    return null;
  }

  /* A widget by id (full or its 5 characters), container element or selector; the first widget when omitted. */
  function findWidget(ref) {
    if (ref === undefined || ref === null) {
      return order.length ? widgets[order[0]] : null;
    }
    if (typeof ref === 'string') {
      if (widgets[ref]) {
        return widgets[ref];
      }
      if (widgets[WIDGET_PREFIX + ref]) {
        return widgets[WIDGET_PREFIX + ref];
      }
      var el = null;
      try {
        el = document.querySelector(ref);
      } catch (e) {
        el = null;
      }
      return el ? widgetOfContainer(el) : null;
    }
    if (ref && ref.nodeType === 1) {
      return widgetOfContainer(ref);
    }
    return null;
  }

  function iframeSrc(widget) {
    var p = widget.params;
    var dom = LAB_DOM[p.sitekey] || {};
    var path = dom.legacyIframePath
      ? '/cdn-cgi/challenge-platform/h/g/turnstile/if/ov2/av0/rcv/'
      : '/cdn-cgi/challenge-platform/h/b/turnstile/f/av0/rch' + RCH + '/';
    /* The widget page draws its own content in the same mode; the default leaves the URL as Cloudflare's. */
    var mode = widget.shadowMode === 'closed' ? '' : '&shadowMode=' + widget.shadowMode;
    return challengeOrigin + path + widget.shortId + '/' + p.sitekey + '/' + p.theme + '/fbE/new/' + p.size
      + '?lang=' + encodeURIComponent(p.language) + mode;
  }

  function sizeStyle(widget) {
    var p = widget.params;
    if (widget.invisible || p.size === 'invisible') {
      return 'border: none; overflow: hidden; width: 0; height: 0; display: none;';
    }
    var hidden = (p.appearance === 'interaction-only' && !widget.interactive)
      || (p.appearance === 'execute' && !widget.executed);
    var base = 'border: none; overflow: hidden; ';
    var dims = p.size === 'compact' ? 'width: 150px; height: 140px;'
      : p.size === 'flexible' ? 'width: 100%; min-width: 300px; height: 65px;'
      : 'width: 300px; height: 65px;';
    return base + dims + (hidden ? ' display: none;' : '');
  }

  function clearTimers(widget) {
    clearTimeout(widget.retryTimer);
    clearTimeout(widget.watchdog);
    widget.retryTimer = null;
    widget.watchdog = null;
  }

  function armWatchdog(widget, ms) {
    clearTimeout(widget.watchdog);
    widget.watchdog = setTimeout(function () {
      widget.watchdog = null;
      fail(widget, CODE_HUNG);
    }, ms);
  }

  function setResponse(widget, token) {
    widget.token = token;
    if (widget.input) {
      widget.input.value = token || '';
    }
    if (widget.compatInput) {
      widget.compatInput.value = token || '';
    }
  }

  /* Creates (or re-creates) the widget's iframe and runs its challenge. */
  function start(widget) {
    clearTimers(widget);
    if (widget.iframe && widget.iframe.parentNode) {
      widget.iframe.parentNode.removeChild(widget.iframe);
    }
    setResponse(widget, undefined);
    widget.expired = false;
    widget.interactive = false;
    widget.executed = true;
    var iframe = document.createElement('iframe');
    iframe.id = widget.id;
    iframe.src = iframeSrc(widget);
    iframe.setAttribute('allow', 'cross-origin-isolated; fullscreen; autoplay');
    iframe.setAttribute('sandbox', 'allow-same-origin allow-scripts allow-popups');
    iframe.setAttribute('tabindex', widget.params.tabindex !== undefined ? String(widget.params.tabindex) : '0');
    iframe.setAttribute('title', 'Widget containing a Cloudflare security challenge');
    iframe.setAttribute('style', sizeStyle(widget));
    widget.iframe = iframe;
    widget.root.insertBefore(iframe, widget.root.firstChild);
    armWatchdog(widget, DEFAULT_WATCHDOG_MS);
  }

  function restyle(widget) {
    if (widget.iframe) {
      widget.iframe.setAttribute('style', sizeStyle(widget));
    }
  }

  /* A configuration error fails the same way every time: retrying it would only loop. */
  function retriable(code) {
    var family = Math.floor(code / 100);
    return !(family === 1101 || family === 1102 || family === 1104);
  }

  function fail(widget, code) {
    if (!widgets[widget.id]) {
      return;
    }
    clearTimers(widget);
    setResponse(widget, undefined);
    var handled = call(widget, 'error-callback', String(code));
    if (!resolveCallback(widget.params['error-callback']) && !handled) {
      console.error(PREFIX + 'Error: ' + code + '.');
    }
    if (widget.params.retry === 'auto' && retriable(code)) {
      widget.retryTimer = setTimeout(function () {
        if (widgets[widget.id]) {
          start(widget);
        }
      }, widget.params['retry-interval']);
    }
  }

  function send(widget, message) {
    if (widget.iframe && widget.iframe.contentWindow) {
      message.source = 'cloudflare-challenge';
      message.widgetId = widget.id;
      widget.iframe.contentWindow.postMessage(message, challengeOrigin);
    }
  }

  window.addEventListener('message', function (e) {
    if (CHALLENGE_ORIGINS.indexOf(e.origin) < 0) {
      return;
    }
    var data = e.data;
    if (!data || typeof data !== 'object' || data.source !== 'cloudflare-challenge') {
      return;
    }
    var widget = widgets[data.widgetId];
    if (!widget || !widget.iframe || e.source !== widget.iframe.contentWindow) {
      return;
    }
    switch (data.event) {
      case 'init':
        widget.invisible = data.mode === 'invisible';
        restyle(widget);
        armWatchdog(widget, data.watchdogMs > 0 ? data.watchdogMs : DEFAULT_WATCHDOG_MS);
        break;
      case 'requestExtraParams':
        send(widget, {
          event: 'extraParams',
          action: widget.params.action,
          cData: widget.params.cData,
          chlPageData: widget.params.chlPageData === undefined ? null : widget.params.chlPageData,
          url: window.location.href,
          execution: widget.params.execution,
          appearance: widget.params.appearance,
          refreshExpired: widget.params['refresh-expired'],
          theme: widget.params.theme,
          language: widget.params.language
        });
        break;
      case 'complete':
        clearTimers(widget);
        widget.expired = false;
        setResponse(widget, data.token);
        call(widget, 'callback', data.token);
        break;
      case 'fail':
        fail(widget, data.code);
        break;
      case 'tokenExpired':
        widget.expired = true;
        var old = widget.token;
        call(widget, 'expired-callback', old);
        if (widget.params['refresh-expired'] === 'auto') {
          start(widget);
        }
        break;
      case 'refreshRequest':
        /* The visitor clicked the widget's own "Refresh" (refresh-expired: manual); 'never' shows none. */
        if (data.reason === 'expired' && widget.expired && widget.params['refresh-expired'] !== 'never') {
          start(widget);
        }
        break;
      case 'interactiveBegin':
        clearTimeout(widget.watchdog);
        widget.interactive = true;
        restyle(widget);
        call(widget, 'before-interactive-callback');
        break;
      case 'interactiveEnd':
        call(widget, 'after-interactive-callback');
        break;
      case 'interactiveTimeout':
        clearTimers(widget);
        call(widget, 'timeout-callback');
        if (widget.params['refresh-timeout'] === 'auto') {
          start(widget);
        }
        break;
      default:
        break;
    }
  });

  function render(target, options) {
    var container = findContainer(target);
    var existing = widgetOfContainer(container);
    if (existing) {
      console.warn(PREFIX + 'Turnstile has already been rendered in this container. Did you call turnstile.render() twice?');
      return existing.id;
    }
    var merged = paramsFromData(container);
    if (options) {
      for (var k in options) {
        merged[k] = options[k];
      }
    }
    var params = normalize(merged);
    var invalid = validate(params);
    if (invalid) {
      if (resolveCallback(params['error-callback'])) {
        var fn = resolveCallback(params['error-callback']);
        setTimeout(function () { fn(String(invalid.code)); }, 0);
        return undefined;
      }
      throw TurnstileError(invalid.message, invalid.code);
    }
    var shortId = randomId();
    var widget = {
      id: WIDGET_PREFIX + shortId, shortId: shortId, container: container, params: params,
      token: undefined, expired: false, interactive: false, executed: false, invisible: false,
      iframe: null, input: null, retryTimer: null, watchdog: null
    };
    var dom = LAB_DOM[params.sitekey] || {};
    var shadowMode = dom.shadowMode || params.shadowMode;
    widget.shadowMode = shadowMode;
    var host = document.createElement('div');
    widget.hostElement = host;
    widget.root = shadowMode === 'none' ? host : host.attachShadow({mode: shadowMode});
    if (params['response-field']) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = params['response-field-name'];
      input.id = widget.id + '_response';
      host.appendChild(input);
      widget.input = input;
      if (compat) {
        var compatInput = document.createElement('input');
        compatInput.type = 'hidden';
        compatInput.name = 'g-recaptcha-response';
        host.appendChild(compatInput);
        widget.compatInput = compatInput;
      }
    }
    container.appendChild(host);
    widgets[widget.id] = widget;
    order.push(widget.id);
    if (params.execution === 'render') {
      start(widget);
    }
    return widget.id;
  }

  function execute(target, options) {
    var widget = findWidget(target);
    if (!widget) {
      var opts = {};
      if (options) {
        for (var k in options) {
          opts[k] = options[k];
        }
      }
      opts.execution = 'execute';
      var id = render(target, opts);
      widget = id ? widgets[id] : null;
      if (!widget) {
        return;
      }
    }
    if (widget.token && !widget.expired) {
      console.warn(PREFIX + 'Call to execute() on a widget that is already executed.');
      return;
    }
    start(widget);
  }

  function reset(ref) {
    var widget = findWidget(ref);
    if (!widget) {
      console.warn(PREFIX + 'Nothing to reset found for provided container');
      return;
    }
    if (widget.params.execution === 'execute' && !widget.executed) {
      return;
    }
    if (widget.params.execution === 'execute') {
      clearTimers(widget);
      if (widget.iframe && widget.iframe.parentNode) {
        widget.iframe.parentNode.removeChild(widget.iframe);
      }
      widget.iframe = null;
      widget.executed = false;
      setResponse(widget, undefined);
      widget.expired = false;
      return;
    }
    start(widget);
  }

  function remove(ref) {
    var widget = findWidget(ref);
    if (!widget) {
      console.warn(PREFIX + 'Nothing to remove found for provided container');
      return;
    }
    clearTimers(widget);
    if (widget.hostElement.parentNode) {
      widget.hostElement.parentNode.removeChild(widget.hostElement);
    }
    delete widgets[widget.id];
    order.splice(order.indexOf(widget.id), 1);
  }

  function getResponse(ref) {
    var widget = findWidget(ref);
    if (!widget) {
      console.warn(PREFIX + 'Could not find widget');
      return undefined;
    }
    return widget.token;
  }

  function isExpired(ref) {
    var widget = findWidget(ref);
    if (!widget) {
      console.warn(PREFIX + 'Could not find widget');
      return false;
    }
    return widget.expired;
  }

  function ready(callback) {
    if (scriptAsync) {
      throw TurnstileError('turnstile.ready() would break if called *before* the Turnstile api.js script is loaded by visitors.');
    }
    if (typeof callback !== 'function') {
      throw TurnstileError('turnstile.ready() expected a "function" argument, got "' + typeof callback + '"');
    }
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', function () { callback(); });
    } else {
      setTimeout(callback, 0);
    }
  }

  function implicitRender() {
    var elements = document.querySelectorAll(compat ? '.cf-turnstile, .cf-challenge, .g-recaptcha'
      : '.cf-turnstile, .cf-challenge');
    for (var i = 0; i < elements.length; i++) {
      if (!widgetOfContainer(elements[i])) {
        try {
          render(elements[i]);
        } catch (e) {
          console.error(e);
        }
      }
    }
  }

  window.turnstile = {
    __lab: true,
    render: render,
    execute: execute,
    reset: reset,
    remove: remove,
    getResponse: getResponse,
    isExpired: isExpired,
    ready: ready,
    implicitRender: implicitRender
  };

  if (compat) {
    /* reCAPTCHA names its container by element id; its getResponse answers '' when there is no token. */
    var byId = function (target) {
      return typeof target === 'string' && document.getElementById(target) ? document.getElementById(target) : target;
    };
    window.grecaptcha = {
      __lab: true,
      render: function (target, options) { return render(byId(target), options); },
      execute: function (target, options) { return execute(byId(target), options); },
      reset: function (ref) { return reset(ref); },
      getResponse: function (ref) { return getResponse(ref) || ''; },
      ready: function (callback) { setTimeout(callback, 0); }
    };
  }

  if (!explicitOnly) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', implicitRender);
    } else {
      implicitRender();
    }
  }

  if (onloadName) {
    /* The onload global is called on setTimeout(0), and once more after 1 s if it was not defined yet. */
    var callOnload = function (lastTry) {
      var fn = window[onloadName];
      if (typeof fn === 'function') {
        fn();
        return true;
      }
      if (lastTry) {
        console.error(PREFIX + 'Unable to find onload callback \'' + onloadName + '\' immediately after loading, expected \'function\', got \'' + typeof fn + '\'.');
      }
      return false;
    };
    setTimeout(function () {
      if (!callOnload(false)) {
        setTimeout(function () { callOnload(true); }, 1000);
      }
    }, 0);
  }
})();
