"""The page's stylesheet and its one small script (citation markers open the source panel)."""

from __future__ import annotations

# Runs once per page. Clicks are caught on the document, so markers in messages rendered later work too.
HEAD = r"""
<meta name="viewport" content="width=device-width, initial-scale=1">
<script>
(function () {
  if (window.__talksRagCites) return;
  window.__talksRagCites = true;
  function openSource(turn, key) {
    var card = document.getElementById('src-' + turn + '-' + key);
    if (!card) return false;
    var panel = card.closest('.panel');
    if (panel) {
      panel.querySelectorAll('section.turn').forEach(function (s) {
        s.hidden = s.getAttribute('data-turn') !== String(turn);
      });
      panel.querySelectorAll('details.src.active').forEach(function (c) { c.classList.remove('active'); });
    }
    card.open = true;
    void card.offsetWidth;  // restart the flash animation on a repeated click
    card.classList.add('active');
    var narrow = window.matchMedia('(max-width: 860px)').matches;
    card.scrollIntoView({behavior: 'smooth', block: narrow ? 'start' : 'nearest'});
    return true;
  }
  window.talksRagOpenSource = openSource;
  document.addEventListener('click', function (ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest('a.cite') : null;
    if (!a) return;
    var m = /^#src-(\d+)-(r?\d+)$/.exec(a.getAttribute('href') || '');
    if (!m) return;
    ev.preventDefault();
    ev.stopPropagation();
    openSource(m[1], m[2]);
  }, true);
})();
</script>
"""

CSS = """
:root {
  --tr-accent: #2f5bd3;
  --tr-accent-soft: #e8eefc;
  --tr-accent-ink: #1f3f9e;
  --tr-mark: #fff0b3;
  --tr-abstain: #b7791f;
  --tr-abstain-soft: #fdf6e7;
  --tr-error: #c0392b;
  --tr-error-soft: #fdeeee;
  --tr-muted: #667085;
  --tr-line: #e4e7ec;
  --tr-card: #ffffff;
}
.dark {
  --tr-accent: #8aa8ff;
  --tr-accent-soft: rgba(138, 168, 255, 0.16);
  --tr-accent-ink: #c6d4ff;
  --tr-mark: rgba(255, 214, 80, 0.32);
  --tr-abstain: #f0b453;
  --tr-abstain-soft: rgba(240, 180, 83, 0.12);
  --tr-error: #ff8a7a;
  --tr-error-soft: rgba(255, 138, 122, 0.12);
  --tr-muted: #98a2b3;
  --tr-line: #344054;
  --tr-card: #1d2433;
}

.gradio-container { max-width: 1280px !important; margin: 0 auto !important; }
footer { opacity: 0.7; }

/* header */
#hdr { padding: 6px 2px 2px; }
#hdr h1 { font-size: 1.45rem; font-weight: 700; letter-spacing: -0.01em; margin: 0 0 4px; line-height: 1.25; }
#hdr h1 .tag { font-size: 0.72rem; font-weight: 600; vertical-align: middle; margin-left: 8px; padding: 2px 8px;
  border-radius: 999px; background: var(--tr-accent-soft); color: var(--tr-accent-ink); letter-spacing: 0.02em; }
#hdr p { margin: 0; color: var(--tr-muted); font-size: 0.93rem; line-height: 1.5; max-width: 62em; }

/* chat */
#chat { border-radius: 12px; }
#chat .q { white-space: pre-wrap; overflow-wrap: anywhere; }
#chat .q-more { color: var(--tr-muted); font-size: 0.85em; margin-left: 6px; }
#chat .ans { line-height: 1.6; overflow-wrap: anywhere; }
#chat .ans-text { margin: 0; }
#chat .ans.streaming .ans-text::after { content: "▍"; color: var(--tr-accent); animation: tr-blink 1s steps(2) infinite; }
@keyframes tr-blink { 50% { opacity: 0; } }
#chat .ans.pending { color: var(--tr-muted); display: flex; align-items: center; gap: 10px; }
.dots { display: inline-flex; gap: 4px; }
.dots i { width: 6px; height: 6px; border-radius: 50%; background: var(--tr-accent); opacity: 0.3;
  animation: tr-dot 1.2s infinite ease-in-out; }
.dots i:nth-child(2) { animation-delay: 0.15s; } .dots i:nth-child(3) { animation-delay: 0.3s; }
@keyframes tr-dot { 40% { opacity: 1; transform: translateY(-2px); } }

a.cite, span.cite.demo {
  display: inline-flex; align-items: center; justify-content: center; min-width: 1.45em; height: 1.45em;
  padding: 0 0.35em; margin: 0 1px 0 3px; border-radius: 999px; font-size: 0.72em; font-weight: 700;
  line-height: 1; vertical-align: 0.3em; text-decoration: none !important; cursor: pointer;
  background: var(--tr-accent-soft); color: var(--tr-accent-ink) !important;
  border: 1px solid transparent; font-variant-numeric: tabular-nums; transition: background .15s, color .15s;
}
a.cite:hover, a.cite:focus-visible { background: var(--tr-accent); color: #fff !important; outline: none; }
a.cite.rel { background: transparent; border: 1px dashed var(--tr-abstain); color: var(--tr-abstain) !important; }
a.cite.rel:hover, a.cite.rel:focus-visible { background: var(--tr-abstain); color: #fff !important; }

#chat .badge { display: inline-block; font-size: 0.72rem; font-weight: 700; letter-spacing: 0.04em;
  text-transform: uppercase; padding: 2px 8px; border-radius: 6px; margin-bottom: 6px; }
#chat .ans.abstain { border-left: 3px solid var(--tr-abstain); padding-left: 12px; }
#chat .badge-abstain { background: var(--tr-abstain-soft); color: var(--tr-abstain); }
#chat .ans.abstain .ans-text { font-style: italic; }
#chat .related { margin: 6px 0 0; font-size: 0.9em; color: var(--tr-muted); }
#chat .ans.error { border-left: 3px solid var(--tr-error); padding-left: 12px; }
#chat .badge-error { background: var(--tr-error-soft); color: var(--tr-error); }

#chat .short { margin: 10px 0 0; font-size: 0.92em; }
#chat .short .label, #chat .meta { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.05em;
  color: var(--tr-muted); font-weight: 600; }
#chat .short .label { margin-right: 6px; }
#chat .foot, #chat details.rewrite { margin-top: 8px; padding-top: 6px; border-top: 1px solid var(--tr-line); }
#chat details.rewrite summary { cursor: pointer; list-style: none; display: flex; gap: 10px; align-items: baseline; }
#chat details.rewrite summary::-webkit-details-marker { display: none; }
#chat .rw-toggle { font-size: 0.78rem; color: var(--tr-accent); }
#chat .rw-body { font-size: 0.85rem; color: var(--tr-muted); margin-top: 4px; }
#chat .rw-body code { font-size: 0.85rem; white-space: normal; }
#chat .notice { font-size: 0.82rem; color: var(--tr-muted); margin: 4px 0 0; }

/* composer */
#composer { align-items: stretch; gap: 8px; }
#composer textarea { font-size: 1rem; }
#send { min-width: 88px; }
#tools { gap: 8px; align-items: center; }
#clear { max-width: 220px; }

/* settings */
.unavailable { display: flex; gap: 10px; align-items: flex-start; color: var(--tr-muted); font-size: 0.88rem;
  padding: 8px 10px; border: 1px dashed var(--tr-line); border-radius: 8px; margin: 0; }
.unavailable .ring { flex: none; width: 14px; height: 14px; margin-top: 2px; border-radius: 50%; border: 2px solid var(--tr-line); }
.unavailable code { font-size: 0.82rem; }

/* source panel */
#sources-col { position: sticky; top: 12px; align-self: flex-start; }
#sources { max-height: calc(100vh - 40px); overflow-y: auto; }
.panel { font-size: 0.93rem; line-height: 1.55; }
.panel-title { font-size: 0.75rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.06em;
  color: var(--tr-muted); margin: 2px 0 4px; }
.panel.empty { border: 1px dashed var(--tr-line); border-radius: 12px; padding: 16px 18px; color: var(--tr-muted); }
.panel.empty p { margin: 6px 0 0; }
.turn-q { font-size: 0.95rem; line-height: 1.45; margin-bottom: 10px; overflow-wrap: anywhere; }
.turn-q span { color: var(--tr-muted); }
.cards { display: flex; flex-direction: column; gap: 8px; }
details.src { border: 1px solid var(--tr-line); border-radius: 10px; background: var(--tr-card);
  transition: border-color .2s, box-shadow .2s; scroll-margin: 12px; }
details.src > summary { list-style: none; cursor: pointer; display: flex; gap: 10px; padding: 10px 12px; }
details.src > summary::-webkit-details-marker { display: none; }
details.src[open] > summary { border-bottom: 1px solid var(--tr-line); }
details.src.active { border-color: var(--tr-accent); box-shadow: 0 0 0 3px var(--tr-accent-soft); animation: tr-flash 1.2s ease-out; }
@keyframes tr-flash { from { box-shadow: 0 0 0 6px var(--tr-accent-soft); } }
.src-n { flex: none; width: 1.6em; height: 1.6em; border-radius: 999px; display: inline-flex; align-items: center;
  justify-content: center; font-size: 0.78rem; font-weight: 700; background: var(--tr-accent-soft); color: var(--tr-accent-ink); }
details.src.rel .src-n { background: transparent; border: 1px dashed var(--tr-abstain); color: var(--tr-abstain); }
.src-head { display: flex; flex-direction: column; min-width: 0; gap: 1px; }
.src-title { font-weight: 600; line-height: 1.35; }
.src-date { font-size: 0.8rem; color: var(--tr-muted); }
.src-quote { font-size: 0.88rem; color: var(--tr-muted); margin-top: 4px; padding-left: 8px;
  border-left: 2px solid var(--tr-mark); display: -webkit-box;
  -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
details.src[open] .src-quote { display: none; }
.src-body { padding: 10px 12px 12px; }
.src-para { margin: 0; font-family: Georgia, Charter, "Times New Roman", serif; font-size: 0.98rem;
  line-height: 1.65; overflow-wrap: anywhere; }
.src-para mark { background: var(--tr-mark); color: inherit; padding: 1px 0; border-radius: 2px;
  box-decoration-break: clone; -webkit-box-decoration-break: clone; }
.src-para mark strong { font-weight: 700; text-decoration: underline; text-decoration-color: var(--tr-accent);
  text-underline-offset: 3px; text-decoration-thickness: 2px; }
.src-loc { display: flex; flex-wrap: wrap; gap: 4px 12px; margin-top: 8px; font-size: 0.78rem; color: var(--tr-muted); }
.src-loc code { font-size: 0.78rem; background: none; padding: 0; overflow-wrap: anywhere; }
.none { color: var(--tr-muted); }

details.passages { margin-top: 14px; border-top: 1px solid var(--tr-line); padding-top: 10px; }
details.passages > summary { cursor: pointer; font-weight: 600; font-size: 0.9rem; }
details.passages .hint { font-weight: 400; font-size: 0.78rem; color: var(--tr-muted); margin-left: 6px; }
ol.hits { list-style: none; padding: 0; margin: 10px 0 0; display: flex; flex-direction: column; gap: 8px; }
li.hit { border: 1px solid var(--tr-line); border-radius: 8px; padding: 8px 10px; font-size: 0.86rem; }
li.hit.used { border-left: 3px solid var(--tr-accent); }
.hit-head { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; font-variant-numeric: tabular-nums; }
.hit-rank { font-weight: 700; }
.hit-score { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.82rem; }
.hit-sub { color: var(--tr-muted); font-size: 0.78rem; }
.hit-used { font-size: 0.7rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em;
  color: var(--tr-accent-ink); background: var(--tr-accent-soft); padding: 1px 6px; border-radius: 4px; }
.hit-title { font-weight: 600; margin-top: 2px; }
.hit-text { color: inherit; opacity: 0.9; margin-top: 2px; display: -webkit-box; -webkit-line-clamp: 4;
  -webkit-box-orient: vertical; overflow: hidden; }
li.hit:hover .hit-text { -webkit-line-clamp: unset; }

@media (max-width: 860px) {
  #sources-col { position: static; }
  #sources { max-height: none; overflow: visible; }
  #hdr h1 { font-size: 1.2rem; }
  #hdr p { font-size: 0.88rem; }
}
"""
