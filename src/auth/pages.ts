/**
 * The pages around the panel — login, forgotten password, change password — rendered on the
 * server: plain forms, self-contained (no font or script from any other host), in Chinese.
 */
import { levelsOf, titleLevels, titleSeries, titlesAt } from '../../config/title-series.js';
const PLATFORM = '山东省专业技术人员继续教育公共服务平台';

export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}

export function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} - ${PLATFORM}</title><link rel="icon" href="/admin/favicon.svg" type="image/svg+xml">
<style>
*{box-sizing:border-box}body{margin:0;font-family:"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;
background:linear-gradient(135deg,#0b4f8a,#1f7ac4);min-height:100vh;display:flex;align-items:center;justify-content:center;color:#1c2733}
.card{background:#fff;border-radius:8px;box-shadow:0 10px 30px rgba(0,0,0,.25);width:420px;max-width:94vw;padding:32px 36px}
h1{font-size:18px;margin:0 0 4px;color:#0b4f8a;text-align:center}h2{font-size:16px;margin:0 0 20px;text-align:center;font-weight:normal;color:#555}
label{display:block;font-size:14px;margin:14px 0 6px}input,select{width:100%;padding:10px 12px;border:1px solid #c8d1dc;border-radius:4px;font-size:14px}
button{margin-top:22px;width:100%;padding:11px;border:0;border-radius:4px;background:#0b4f8a;color:#fff;font-size:15px;cursor:pointer}
button:hover{background:#0d5fa6}.msg{padding:10px 12px;border-radius:4px;font-size:14px;margin-bottom:8px}
.err{background:#fdecea;color:#a31b1b;border:1px solid #f5c2c0}.ok{background:#e8f5e9;color:#1b5e20;border:1px solid #b7dfb9}
.links{display:flex;justify-content:space-between;margin-top:16px;font-size:13px}a{color:#0b4f8a}.hint{font-size:12px;color:#6b7785;margin-top:4px}
</style></head><body><main class="card"><h1>${PLATFORM}</h1><h2>${esc(title)}</h2>${body}</main></body></html>`;
}

export function notice(error?: string, ok?: string): string {
  return (error ? `<div class="msg err" role="alert">${esc(error)}</div>` : '') + (ok ? `<div class="msg ok" role="status">${esc(ok)}</div>` : '');
}

export const userTypeLabels: Record<string, string> = {
  hr_admin: '市、区（县）系统管理员',
  unit_admin: '单位管理员',
  ce_base_admin: '继续教育基地管理员',
  person: '专业技术人员',
};

export function loginPage(action: string, o: { error?: string; ok?: string; idNumber?: string; userType?: string } = {}): string {
  const types = Object.entries(userTypeLabels)
    .map(([v, l]) => `<option value="${v}"${o.userType === v ? ' selected' : ''}>${l}</option>`).join('');
  return layout('系统登录', `${notice(o.error, o.ok)}
<form method="post" action="${esc(action)}" autocomplete="off" enctype="multipart/form-data">
<label for="userType">用户类型</label><select id="userType" name="userType">${types}</select>
<label for="email">登录账号（身份证号）</label><input id="email" name="email" required maxlength="18" value="${esc(o.idNumber)}" placeholder="请输入18位身份证号">
<label for="password">密码</label><input id="password" name="password" type="password" required maxlength="64" placeholder="请输入密码">
<button type="submit">登录</button></form>
<div class="links"><a href="${esc(action.replace(/login$/, 'forgot-password'))}">忘记密码？</a><a href="/register">注册</a></div>`);
}

export function forgotPasswordPage(base: string, o: { error?: string; ok?: string; idNumber?: string; step?: 'request' | 'confirm' } = {}): string {
  if (o.step === 'confirm') {
    return layout('重置密码', `${notice(o.error, o.ok)}
<form method="post" action="${esc(base)}/forgot-password/confirm" autocomplete="off">
<label for="idNumber">身份证号</label><input id="idNumber" name="idNumber" required maxlength="18" value="${esc(o.idNumber)}">
<label for="code">验证码</label><input id="code" name="code" required maxlength="6" inputmode="numeric">
<label for="password">新密码</label><input id="password" name="password" type="password" required maxlength="64">
<div class="hint">至少8位，包含大写字母、小写字母、数字、特殊字符中的至少三类，且不含身份证号后六位</div>
<label for="confirm">确认新密码</label><input id="confirm" name="confirm" type="password" required maxlength="64">
<button type="submit">重置密码</button></form><div class="links"><a href="${esc(base)}/login">返回登录</a></div>`);
  }
  return layout('忘记密码', `${notice(o.error, o.ok)}
<form method="post" action="${esc(base)}/forgot-password" autocomplete="off">
<label for="idNumber">身份证号</label><input id="idNumber" name="idNumber" required maxlength="18" value="${esc(o.idNumber)}">
<label for="contact">注册时的电子邮箱或手机号</label><input id="contact" name="contact" required maxlength="254">
<button type="submit">获取验证码</button></form>
<div class="links"><a href="${esc(base)}/login">返回登录</a><a href="${esc(base)}/forgot-password/confirm">已有验证码</a></div>`);
}

export function changePasswordPage(base: string, o: { error?: string; ok?: string; forced?: boolean; csrf?: string } = {}): string {
  return layout('修改密码', `${notice(o.error, o.ok)}${o.forced ? notice(undefined, '首次登录或密码已被重置，请先设置新密码') : ''}
<form method="post" action="${esc(base)}/password" autocomplete="off"><input type="hidden" name="_csrf" value="${esc(o.csrf)}">
<label for="oldPassword">原密码</label><input id="oldPassword" name="oldPassword" type="password" required maxlength="64">
<label for="password">新密码</label><input id="password" name="password" type="password" required maxlength="64">
<div class="hint">至少8位，包含大写字母、小写字母、数字、特殊字符中的至少三类，且不含身份证号后六位</div>
<label for="confirm">确认新密码</label><input id="confirm" name="confirm" type="password" required maxlength="64">
<button type="submit">保存</button></form>
<div class="links"><a href="${esc(base)}">返回首页</a><a href="${esc(base)}/logout">退出登录</a></div>`);
}

export interface RegisterPageData {
  bureaus: Array<{ id: number; name: string; depth: number }>;
  units: Array<{ id: number; name: string }>;
  values?: Record<string, string>;
  errors?: Record<string, string>;
  ok?: string;
}

/** 注册: a unit, a CE base or a professional person, under a chosen HR department. */
export function registerPage(action: string, loginHref: string, d: RegisterPageData): string {
  const v = d.values ?? {};
  const e = d.errors ?? {};
  const err = (k: string) => (e[k] ? `<div class="hint" style="color:#a31b1b" data-error="${k}">${esc(e[k])}</div>` : '');
  const input = (k: string, label: string, type = 'text', extra = '') =>
    `<label for="${k}">${label}</label><input id="${k}" name="${k}" type="${type}" value="${type === 'password' ? '' : esc(v[k])}" ${extra}>${err(k)}`;
  const kind = v.kind ?? 'unit';
  const kinds = [['unit', '用人单位'], ['ce_base', '继续教育基地（机构）'], ['person', '专业技术人员']]
    .map(([val, l]) => `<option value="${val}"${kind === val ? ' selected' : ''}>${l}</option>`).join('');
  const bureaus = d.bureaus.map((b) => `<option value="${b.id}"${v.superiorId === String(b.id) ? ' selected' : ''}>${'　'.repeat(b.depth)}${esc(b.name)}</option>`).join('');
  const units = d.units.map((u) => `<option value="${u.id}"${v.unitId === String(u.id) ? ' selected' : ''}>${esc(u.name)}</option>`).join('');
  // A person's title: the series, a level of it, and the titles of both (the script keeps them in step).
  const seriesOptions = titleSeries.map((x) => `<option value="${esc(x.name)}"${v.titleSeries === x.name ? ' selected' : ''}>${esc(x.name)}</option>`).join('');
  const levelOptions = titleLevels.map((l) => `<option value="${l.value}"${v.titleLevel === l.value ? ' selected' : ''}>${l.label}</option>`).join('');
  const titleMap = Object.fromEntries(titleSeries.map((x) => [x.name, Object.fromEntries(levelsOf(x.name).map((l) => [l, titlesAt(x.name, l).map((t) => t.title)]))]));
  if (d.ok) return layout('注册', `${notice(undefined, d.ok)}<div class="links"><a href="${esc(loginHref)}">返回登录</a></div>`);
  return layout('注册', `${Object.keys(e).length ? notice('信息有误，请检查后重新提交') : ''}
<form method="post" action="${esc(action)}" autocomplete="off" enctype="multipart/form-data">
<label for="kind">注册类型</label><select id="kind" name="kind">${kinds}</select>
<div id="org-fields">
<label for="superiorId">上级人社部门</label><select id="superiorId" name="superiorId"><option value="">请选择</option>${bureaus}</select>${err('superiorId')}
${input('orgName', '单位（机构）全称', 'text', 'maxlength="100"')}
${input('creditCode', '统一社会信用代码', 'text', 'maxlength="18"')}
<label for="licence">营业执照或法人（登记）证书</label><input id="licence" name="licence" type="file" accept="application/pdf,image/jpeg,image/png">
<div class="hint">PDF 或 JPG/PNG 图片，不超过 5 MB；审核部门据此核对单位名称和统一社会信用代码${Object.keys(e).length && !e.licence ? '（信息有误时请重新选择文件）' : ''}</div>${err('licence')}
</div>
<div id="person-fields">
<label for="unitId">所在单位</label><select id="unitId" name="unitId"><option value="">请选择</option>${units}</select>${err('unitId')}
<label for="titleSeries">职称系列（选填）</label><select id="titleSeries" name="titleSeries"><option value="">无</option>${seriesOptions}</select>${err('titleSeries')}
<label for="titleLevel">职称级别（选填）</label><select id="titleLevel" name="titleLevel"><option value="">无</option>${levelOptions}</select>${err('titleLevel')}
${input('title', '专业技术职务任职资格（选填）', 'text', 'maxlength="50" list="title-options"')}<datalist id="title-options"></datalist>
</div>
${input('idNumber', '<span id="id-label">管理员身份证号（登录账号）</span>', 'text', 'maxlength="18"')}
${input('name', '真实姓名', 'text', 'maxlength="50"')}
${input('mobile', '手机号', 'text', 'maxlength="11"')}
${input('email', '电子邮箱', 'email', 'maxlength="254"')}
${input('password', '密码', 'password', 'maxlength="64"')}
<div class="hint">至少8位，包含大写字母、小写字母、数字、特殊字符中的至少三类，且不含身份证号后六位</div>
${input('confirm', '确认密码', 'password', 'maxlength="64"')}
<button type="submit">提交注册</button></form>
<div class="links"><a href="${esc(loginHref)}">已有账号，去登录</a></div>
<script>
(function () {
  var kind = document.getElementById('kind');
  function sync() {
    var person = kind.value === 'person';
    document.getElementById('org-fields').style.display = person ? 'none' : '';
    document.getElementById('person-fields').style.display = person ? '' : 'none';
    document.getElementById('id-label').textContent = person ? '身份证号（登录账号）' : '管理员身份证号（登录账号）';
  }
  kind.addEventListener('change', sync); sync();
  var titles = ${JSON.stringify(titleMap).replace(/</g, '\\u003c')};
  var series = document.getElementById('titleSeries'), level = document.getElementById('titleLevel'), list = document.getElementById('title-options');
  function syncTitle() {
    var levels = titles[series.value] || {};
    for (var i = 0; i < level.options.length; i++) { var o = level.options[i]; o.hidden = !!o.value && !!series.value && !levels[o.value]; }
    list.innerHTML = '';
    (levels[level.value] || []).forEach(function (t) { var o = document.createElement('option'); o.value = t; list.appendChild(o); });
  }
  series.addEventListener('change', syncTitle); level.addEventListener('change', syncTitle); syncTitle();
})();
</script>`);
}
