// The dashboard's stylesheet, shipped inside the bundle (no build step, no files to find at run time).

/** Served at /assets/app.css. */
export const STYLE = `
:root{--bg:#fff;--fg:#1d2433;--muted:#667085;--line:#e4e7ec;--panel:#f7f8fa;--accent:#3b5bdb;
--done:#2b8a3e;--failed:#c92a2a;--running:#1971c2;--pending:#868e96;--cancelled:#d9480f;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#12151c;--fg:#e6e8ee;--muted:#98a2b3;--line:#2a2f3a;--panel:#1a1e27;
--accent:#8ea2ff;--done:#40c057;--failed:#ff6b6b;--running:#4dabf7;--pending:#adb5bd;--cancelled:#ff922b}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
header.top{display:flex;align-items:center;gap:1.25rem;padding:.55rem 1.5rem;border-bottom:1px solid var(--line);background:var(--panel)}
header.top .brand{font-weight:650;color:var(--fg)}
header.top nav{display:flex;gap:.25rem}
header.top nav a{color:var(--muted);padding:.25rem .65rem;border-radius:6px}
header.top nav a.active{color:var(--fg);background:var(--line)}
header.top nav{margin-right:auto}
main{padding:1rem 1.5rem 3rem;max-width:1240px;margin:0 auto}
h1{font-size:20px;margin:.4rem 0 .8rem}h2{font-size:15px;margin:1.6rem 0 .5rem}
.muted{color:var(--muted)}.small{font-size:12px}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:.42rem .55rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:11.5px;text-transform:uppercase;letter-spacing:.04em}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.task{max-width:28rem}td.task a{color:var(--fg)}
td.progress{color:var(--muted);font-size:12.5px;max-width:20rem}
.badge{display:inline-block;min-width:4.8rem;text-align:center;padding:.05rem .5rem;border-radius:999px;font-size:11.5px;font-weight:650;color:#fff;background:var(--pending)}
.badge.done{background:var(--done)}.badge.failed{background:var(--failed)}.badge.running{background:var(--running)}
.badge.cancelled{background:var(--cancelled)}.badge.pending{background:var(--pending)}
.badge.running::after{content:"";display:inline-block;width:6px;height:6px;margin-left:5px;border-radius:50%;background:#fff;animation:pulse 1.2s infinite}
@keyframes pulse{50%{opacity:.25}}
.live{font-size:12px;color:var(--muted)}.live::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;background:var(--pending);margin-right:.35rem}
.live.on::before{background:var(--done)}
tr.flash td{animation:flash 1.4s ease-out}@keyframes flash{from{background:color-mix(in srgb,var(--accent) 22%,transparent)}}
form.filters{display:flex;gap:.6rem;flex-wrap:wrap;align-items:end;margin:.2rem 0 1rem}
form.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:.15rem}
input,select,button{font:inherit;padding:.3rem .5rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
button{cursor:pointer;background:var(--panel)}button.danger{border-color:var(--failed);color:var(--failed)}
.pager{display:flex;gap:1rem;align-items:center;margin-top:.8rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(8.2rem,1fr));gap:.6rem;margin:.4rem 0 1rem}
.card{border:1px solid var(--line);border-radius:8px;padding:.5rem .7rem;background:var(--panel)}
.card .k{font-size:11.5px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}.card .v{font-size:16px;font-weight:600}
pre{white-space:pre-wrap;word-break:break-word;background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;max-height:28rem;overflow:auto;margin:.3rem 0}
details>summary{cursor:pointer;font-weight:600;margin:.3rem 0}
ol.timeline{list-style:none;padding:0;margin:0}
ol.timeline li{display:grid;grid-template-columns:5.5rem 6.5rem 1fr;gap:.6rem;padding:.35rem 0;border-bottom:1px solid var(--line)}
ol.timeline li.turn{display:block;border:0;padding:.7rem 0 .1rem;font-size:11.5px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
ol.timeline .kind{font-weight:600;font-size:12px}
ol.timeline .tool_use .kind{color:var(--running)}ol.timeline .tool_result .kind{color:var(--muted)}
ol.timeline .error .kind{color:var(--failed)}ol.timeline .result .kind{color:var(--done)}
ol.timeline pre{max-height:12rem;margin:0}
.notice{border:1px solid var(--line);border-left:4px solid var(--cancelled);border-radius:6px;padding:.5rem .8rem;background:var(--panel);margin:.6rem 0}
.notice.error{border-left-color:var(--failed)}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:.35rem;vertical-align:baseline}
.dot.ok{background:var(--done)}.dot.bad{background:var(--failed)}
.meter{position:relative;height:10px;border-radius:5px;background:var(--line);min-width:8rem;overflow:hidden}
.meter span{position:absolute;inset:0 auto 0 0;background:var(--running);border-radius:5px}.meter.over span{background:var(--failed)}
svg.chart{width:100%;height:auto;max-width:980px;display:block}
svg.chart text{fill:var(--muted);font-size:11px;font-family:system-ui,sans-serif}
svg.chart .grid{stroke:var(--line)}svg.chart .budget{stroke:var(--failed);stroke-dasharray:5 4;stroke-width:1.5}
.legend{display:flex;flex-wrap:wrap;gap:.9rem;font-size:12.5px;margin:.4rem 0}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:.3rem;vertical-align:-1px}
`;
