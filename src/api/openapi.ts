/**
 * The OpenAPI 3.1 document of /api/v1 (served at /api/v1/openapi.json, read at /api/v1/docs).
 * The contract tests (test/integration/api.test.ts) validate every answer of the API against
 * the schemas here, so the document cannot drift from what the server sends.
 */
import { API_LIMITS } from './limits.js';

const error = {
  type: 'object', required: ['code', 'message'], additionalProperties: false,
  properties: {
    code: { type: 'string', description: '稳定的错误码', enum: ['unauthorized', 'forbidden', 'invalid_json', 'invalid_request', 'payload_too_large', 'too_many_records', 'duplicate_external_ids', 'unsupported_media_type', 'rate_limited', 'not_found', 'conflict', 'internal_error'] },
    message: { type: 'string', description: '中文说明' },
    details: { type: 'array', items: { type: 'string' }, description: '逐项说明（如重复的 externalId）' },
  },
};

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

const fields = {
  type: 'object', description: '学习形式的字段（与批量导入模板的列相同：岗位培训）', additionalProperties: true,
  properties: {
    activity_name: { type: 'string', description: '培训项目名称' },
    start_date: { type: 'string', description: '开始日期 YYYY-MM-DD（决定认定年度）' },
    end_date: { type: 'string', description: '结束日期 YYYY-MM-DD' },
    organiser: { type: 'string', description: '组织单位' },
    hours: { type: ['number', 'string'], description: '培训学时（最小单位 0.5）' },
    evidence: { type: 'string', description: '证明材料' },
  },
};

const declarationState = {
  type: 'object', required: ['externalId', 'declarationId', 'status', 'declaredHours', 'approvedHours', 'reason', 'decidedAt', 'updatedAt'], additionalProperties: false,
  properties: {
    externalId: { type: 'string' },
    declarationId: { type: 'integer' },
    status: { type: 'string', enum: ['pending_unit', 'pending', 'approved', 'rejected', 'withdrawn', 'verification_failed'], description: '待单位初审、待审核、已通过、已驳回、已撤回、审验不通过' },
    declaredHours: { type: 'number' },
    approvedHours: { type: ['number', 'null'] },
    reason: { type: ['string', 'null'], description: '驳回或审验不通过的原因' },
    decidedAt: { type: ['string', 'null'], format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

const bearer = [{ bearer: [] }];

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: '山东省专业技术人员继续教育公共服务平台 · 对接接口',
    version: '1.0.0',
    description: '培训机构、继续教育基地、市级平台报送学时，职称评审等系统读取学时。每个客户端由省、市人社部门超级管理员在平台「接口客户端」中登记；'
      + '调用时在请求头中携带 `Authorization: Bearer <接口密钥>`。客户端的数据范围为其所属机构的管辖范围与其权限范围（hours:submit、hours:read、certificates:verify）的交集。'
      + `每个客户端每分钟的调用次数有上限（登记时设定），超出时返回 429。错误一律为 JSON：{code, message}。`,
  },
  servers: [{ url: '/' }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: '接口密钥：ce_<16位标识>_<43位密钥>' } },
    schemas: {
      Error: error,
      HourRecord: {
        type: 'object', required: ['externalId'], additionalProperties: false,
        properties: {
          externalId: { type: 'string', minLength: 1, maxLength: 64, description: '报送方自己的记录编号：同一客户端内唯一，重复报送不产生新记录并返回首次结果' },
          idNumber: { type: 'string', description: '身份证号（18位）' },
          name: { type: 'string', description: '姓名' },
          subjectType: { type: 'string', enum: ['public', 'professional'], description: '计入科目：公需科目 / 专业科目' },
          learningForm: { type: 'string', description: '学习形式代码：与批量导入相同，目前为 on_job（岗位培训）' },
          fields,
        },
      },
      RecordResult: {
        oneOf: [
          { type: 'object', required: ['externalId', 'status', 'declarationId', 'replayed'], additionalProperties: false,
            properties: { externalId: { type: 'string' }, status: { const: 'accepted' }, declarationId: { type: 'integer' }, replayed: { type: 'boolean', description: 'true：此前已报送，返回首次结果' }, state: { type: 'string' } } },
          { type: 'object', required: ['externalId', 'status', 'reasons'], additionalProperties: false,
            properties: { externalId: { type: 'string' }, status: { const: 'refused' }, reasons: { type: 'array', minItems: 1, items: { type: 'string' } } } },
        ],
      },
      SubmitResult: {
        type: 'object', required: ['accepted', 'refused', 'results'], additionalProperties: false,
        properties: { accepted: { type: 'integer' }, refused: { type: 'integer' }, results: { type: 'array', items: { $ref: '#/components/schemas/RecordResult' } } },
      },
      DeclarationState: declarationState,
      CallbackEvent: {
        type: 'object', required: ['event', 'deliveryId', 'declaration'], additionalProperties: false,
        properties: {
          event: { type: 'string', enum: ['hour_declaration.decided'] },
          deliveryId: { type: 'integer', description: '事件编号：同一事件重发时不变，接收方据此去重；编号越大，事件越新' },
          declaration: { $ref: '#/components/schemas/DeclarationState' },
        },
      },
      StateList: {
        type: 'object', required: ['items', 'next'], additionalProperties: false,
        properties: {
          items: { type: 'array', items: { $ref: '#/components/schemas/DeclarationState' } },
          next: { type: ['string', 'null'], description: '还有更多记录时，下一页的 since 取值' },
        },
      },
      Certificate: {
        type: 'object', required: ['number', 'name', 'idNumber', 'year', 'publicHours', 'professionalHours', 'totalHours', 'issuer', 'issuedAt', 'valid'], additionalProperties: false,
        properties: {
          number: { type: 'string' }, name: { type: 'string' }, idNumber: { type: 'string', description: '身份证号（已脱敏）' }, year: { type: 'integer' },
          publicHours: { type: 'number' }, professionalHours: { type: 'number' }, totalHours: { type: 'number' },
          issuer: { type: 'string', description: '发证机构' }, issuedAt: { type: 'string', format: 'date-time' },
          valid: { type: 'boolean', description: 'false：该年度学时已经审验变更，证书已失效' },
        },
      },
      YearHours: {
        type: 'object', required: ['year', 'publicHours', 'professionalHours', 'totalHours', 'completed', 'verification'], additionalProperties: false,
        properties: {
          year: { type: 'integer' },
          publicHours: { type: 'number', description: '公需科目认定学时' },
          professionalHours: { type: 'number', description: '专业科目认定学时' },
          totalHours: { type: 'number' },
          completed: { type: 'boolean', description: '是否达到该年度学时要求' },
          verification: { type: 'object', required: ['state', 'failedHours'], additionalProperties: false, properties: {
            state: { type: 'string', enum: ['none', 'ok', 'failed'], description: 'none：该年度无认定学时；ok：无审验不通过；failed：有学时审验不通过' },
            failedHours: { type: 'number', description: '审验不通过的学时' },
          } },
        },
      },
      HourProof: {
        type: 'object', additionalProperties: false,
        required: ['kind', 'number', 'name', 'idNumber', 'unitName', 'from', 'to', 'years', 'issuer', 'issuedAt', 'valid', 'changedYears'],
        description: '学时证明（编号以 SDZM 开头）：证明所载各年度学时，及其是否与当前记录一致',
        properties: {
          kind: { type: 'string', const: 'hour_proof' },
          number: { type: 'string' }, name: { type: 'string' }, idNumber: { type: 'string', description: '身份证号（已脱敏）' }, unitName: { type: 'string' },
          from: { type: 'integer' }, to: { type: 'integer' },
          years: { type: 'array', items: { $ref: '#/components/schemas/YearHours' }, description: '证明出具时所载的各年度学时' },
          issuer: { type: 'string', description: '出具机构' }, issuedAt: { type: 'string', format: 'date-time' },
          valid: { type: 'boolean', description: 'false：有年度的学时已经审验变更，与当前记录不一致，证明已失效' },
          changedYears: { type: 'array', items: { type: 'integer' }, description: '学时与当前记录不一致的年度' },
        },
      },
      PersonHours: {
        type: 'object', required: ['idNumber', 'name', 'from', 'to', 'years'], additionalProperties: false,
        properties: {
          idNumber: { type: 'string' }, name: { type: 'string' }, from: { type: 'integer' }, to: { type: 'integer' },
          years: { type: 'array', items: { $ref: '#/components/schemas/YearHours' } },
        },
      },
    },
  },
  paths: {
    '/api/v1/hour-declarations': {
      post: {
        tags: ['学时报送'],
        summary: '报送学时（最多 1000 条）',
        description: '每条记录按与批量导入完全相同的规则校验（同一套校验流程）。通过的记录进入对应的审核列表（继续教育基地报送的进入「继教基地学时审核」），来源标记为「接口：<客户端名称>」。'
          + '整批错误（JSON 格式错误、超过 1000 条、请求体过大、同一请求内 externalId 重复、缺少 externalId）时不保存任何记录。'
          + '被拒绝的记录不占用其 externalId：修正后可用同一 externalId 重新报送。',
        security: bearer,
        'x-required-scope': 'hours:submit',
        requestBody: { required: true, content: { 'application/json': { schema: {
          type: 'object', required: ['records'], properties: { records: { type: 'array', minItems: 1, maxItems: API_LIMITS.maxRecords, items: { $ref: '#/components/schemas/HourRecord' } } },
        } } } },
        responses: {
          200: { description: '逐条结果', content: { 'application/json': { schema: { $ref: '#/components/schemas/SubmitResult' } } } },
          400: errorResponse('整批被拒绝：JSON 格式错误、记录数超限、externalId 重复或缺失'),
          401: errorResponse('身份验证失败'),
          403: errorResponse('客户端没有 hours:submit 权限'),
          413: errorResponse('请求体过大'),
          415: errorResponse('请求体须为 application/json'),
          429: errorResponse('调用过于频繁'),
        },
      },
      get: {
        tags: ['学时报送'],
        summary: '查询已报送记录的状态',
        description: `按更新时间顺序返回本客户端报送的记录（每页最多 ${API_LIMITS.statePage} 条）。`,
        security: bearer,
        'x-required-scope': 'hours:submit',
        parameters: [{ name: 'since', in: 'query', required: false, schema: { type: 'string', format: 'date-time' }, description: '只返回此时间（含）之后有变化的记录' }],
        responses: {
          200: { description: '记录状态', content: { 'application/json': { schema: { $ref: '#/components/schemas/StateList' } } } },
          400: errorResponse('since 格式错误'),
          401: errorResponse('身份验证失败'),
          403: errorResponse('客户端没有 hours:submit 权限'),
          429: errorResponse('调用过于频繁'),
        },
      },
    },
    '/api/v1/persons/{idNumber}/hours': {
      get: {
        tags: ['学时读取'],
        summary: '读取个人学时（按年度）',
        description: '返回各年度公需、专业科目的认定学时、审验状态和是否完成。每次读取都会记录，本人可在平台「学时查阅记录」中看到谁在何时查阅。',
        security: bearer,
        'x-required-scope': 'hours:read',
        parameters: [
          { name: 'idNumber', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'from', in: 'query', required: false, schema: { type: 'integer' }, description: '起始年度（默认：截止年度前四年）' },
          { name: 'to', in: 'query', required: false, schema: { type: 'integer' }, description: `截止年度（默认：今年；跨度不超过 ${API_LIMITS.maxYears} 年）` },
        ],
        responses: {
          200: { description: '各年度学时', content: { 'application/json': { schema: { $ref: '#/components/schemas/PersonHours' } } } },
          400: errorResponse('身份证号或年度格式错误'),
          401: errorResponse('身份验证失败'),
          403: errorResponse('客户端没有 hours:read 权限，或该人员不在客户端的管辖范围内'),
          429: errorResponse('调用过于频繁'),
        },
      },
    },
    '/api/v1/certificates/{number}': {
      get: {
        tags: ['证书核验'],
        summary: '核验电子证书或学时证明',
        description: '返回与公开核验页面（证书、学时证明二维码打开的页面）相同的信息，身份证号已脱敏。学时证明（编号以 SDZM 开头）另返回证明所载各年度学时及其是否与当前记录一致。',
        security: bearer,
        'x-required-scope': 'certificates:verify',
        parameters: [{ name: 'number', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: { description: '证书或学时证明信息', content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/Certificate' }, { $ref: '#/components/schemas/HourProof' }] } } } },
          401: errorResponse('身份验证失败'),
          403: errorResponse('客户端没有 certificates:verify 权限'),
          404: errorResponse('未找到该证书'),
          429: errorResponse('调用过于频繁'),
        },
      },
    },
  },
  webhooks: {
    'hour_declaration.decided': {
      post: {
        tags: ['学时报送'],
        summary: '回调通知：报送的记录有了审核结果',
        description: '在「接口客户端」中为客户端设置回调地址后，本客户端报送的记录每次离开原状态（审核通过、驳回、审验不通过、撤回）时，平台向该地址 POST 一条事件。'
          + '事件在审核的同一事务中生成（审核回滚则没有事件），由任务进程投递：返回 2xx 即投递成功；否则在 30 秒、1、2、4……分钟后重试，最多 8 次，之后可由管理员在「接口回调记录」中重新发送。'
          + '请求头 X-CE-Signature: t=<Unix 秒>,v1=<十六进制>，v1 = HMAC-SHA256(key, "<t>.<原始请求体>")，key 为接口密钥中密钥部分（ce_<标识>_ 之后的 43 位）的 SHA-256 摘要（32 字节）。'
          + '接收方应以常量时间比较签名、拒绝 5 分钟以前的 t，并按 X-CE-Delivery（即 deliveryId）去重。',
        parameters: [
          { name: 'X-CE-Signature', in: 'header', required: true, schema: { type: 'string', pattern: '^t=\\d+,v1=[0-9a-f]{64}$' } },
          { name: 'X-CE-Delivery', in: 'header', required: true, schema: { type: 'string' } },
          { name: 'X-CE-Event', in: 'header', required: true, schema: { type: 'string', enum: ['hour_declaration.decided'] } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/CallbackEvent' } } } },
        responses: { 200: { description: '已收到（任何 2xx 均可）' } },
      },
    },
  },
} as const;
