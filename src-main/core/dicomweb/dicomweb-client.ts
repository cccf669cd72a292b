import type { DicomWebEndpoint, DicomWebMatch } from '../../../src-shared/contract/dicom-node.js';
import { AppError } from '../../../src-shared/errors.js';
import { describeTlsError } from '../sync/pinned-tls.js';
import { itemsOf, numberOf, textOf, TAG, type DicomJson } from './dicom-json.js';
import { sendHttp, type HttpAnswer } from './http-request.js';
import { buildMultipart, contentTypeParam, parseMultipart } from './multipart.js';

export type QidoLevel = 'studies' | 'series' | 'instances';

/** What the PACS answered for each instance of a STOW-RS request, by SOP Instance UID. */
export interface StowAnswer {
  stored: Set<string>;
  /** Refused instances: their Failure Reason (PS3.18 Table 10.5.3-1, e.g. 0xA700) and a text. */
  failed: Map<string, { reason: number | null; text: string }>;
  httpStatus: number;
}

/** An HTTP answer that means "try later": the server is overloaded or down behind a gateway. */
export class DicomWebUnavailable extends Error {}

const JSON_ACCEPT = 'application/dicom+json, application/json;q=0.9';

function errorText(answer: HttpAnswer): string {
  const text = answer.body.toString('utf8', 0, Math.min(answer.body.length, 300)).trim();
  return text === '' ? '' : `: ${text.replace(/\s+/g, ' ')}`;
}

/**
 * A DICOMweb client (PS3.18) for one endpoint: QIDO-RS search, WADO-RS retrieve of a study or
 * series as Part 10 files, STOW-RS store. HTTP(S) with node:http(s) so a pinned CA applies;
 * basic or bearer authentication from the secret the caller read from the keychain.
 */
export function createDicomWebClient(
  endpoint: DicomWebEndpoint,
  secret: string | null,
  options: { timeoutMs: number; maxAnswerBytes?: number },
) {
  const root = endpoint.url.replace(/\/+$/, '');
  const caPem = endpoint.caPem ?? null;
  const maxBytes = options.maxAnswerBytes ?? 2 * 1024 ** 3;

  function authHeader(): Record<string, string> {
    if (endpoint.auth === 'none') return {};
    if (secret === null || secret === '')
      throw new AppError(
        'INVALID_INPUT',
        `No ${endpoint.auth === 'basic' ? 'password' : 'token'} is stored for ${root}: enter it in Settings → DICOM (it is kept in the OS keychain).`,
      );
    return endpoint.auth === 'basic'
      ? {
          Authorization: `Basic ${Buffer.from(`${endpoint.username ?? ''}:${secret}`).toString('base64')}`,
        }
      : { Authorization: `Bearer ${secret}` };
  }

  async function send(
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body?: readonly Buffer[],
    signal?: AbortSignal,
  ): Promise<HttpAnswer> {
    const url = new URL(`${root}/${path}`);
    let answer: HttpAnswer;
    try {
      answer = await sendHttp({
        method,
        url,
        headers: { ...headers, ...authHeader() },
        ...(body !== undefined && { body }),
        caPem,
        timeoutMs: options.timeoutMs,
        maxBytes,
        ...(signal !== undefined && { signal }),
      });
    } catch (error) {
      if (error instanceof AppError) throw error;
      const tls = describeTlsError(error, root, caPem !== null);
      if (tls !== null) throw new AppError('REMOTE_UNREACHABLE', tls);
      throw new DicomWebUnavailable(
        `Cannot reach the DICOMweb service at ${root}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (answer.status === 401 || answer.status === 403)
      throw new AppError(
        'REMOTE_UNREACHABLE',
        `${root} refused the credentials (HTTP ${answer.status}): check the user name and the password or token in Settings → DICOM.`,
      );
    if (answer.status >= 500 || answer.status === 429 || answer.status === 408)
      throw new DicomWebUnavailable(
        `${root} answered HTTP ${answer.status} to ${method} ${path.split('?')[0]}${errorText(answer)}`,
      );
    return answer;
  }

  function jsonOf(answer: HttpAnswer, what: string): DicomJson[] {
    if (answer.status === 204 || answer.body.length === 0) return [];
    if (answer.status !== 200)
      throw new AppError(
        'PROVIDER_UNAVAILABLE',
        `${root} answered HTTP ${answer.status} to ${what}${errorText(answer)}`,
      );
    try {
      const parsed: unknown = JSON.parse(answer.body.toString('utf8'));
      if (!Array.isArray(parsed)) throw new Error('not an array');
      return parsed as DicomJson[];
    } catch {
      throw new AppError(
        'PROVIDER_UNAVAILABLE',
        `${root} did not answer ${what} with DICOM JSON: is the URL the DICOMweb root (e.g. …/dicom-web)?`,
      );
    }
  }

  async function search(
    level: QidoLevel,
    filters: Record<string, string>,
    scope: { studyInstanceUid?: string; seriesInstanceUid?: string } = {},
    signal?: AbortSignal,
  ): Promise<DicomWebMatch[]> {
    let path = level as string;
    if (scope.studyInstanceUid !== undefined) {
      path = `studies/${encodeURIComponent(scope.studyInstanceUid)}/${level === 'studies' ? '' : level}`;
      if (level === 'instances' && scope.seriesInstanceUid !== undefined)
        path = `studies/${encodeURIComponent(scope.studyInstanceUid)}/series/${encodeURIComponent(scope.seriesInstanceUid)}/instances`;
      if (level === 'studies')
        path = `studies?StudyInstanceUID=${encodeURIComponent(scope.studyInstanceUid)}`;
    }
    // includefield repeated, one attribute each (PS3.18 8.3.4.3 allows both forms; Orthanc
    // ignores a comma-separated list sent URL-encoded).
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(filters))
      for (const one of key === 'includefield' ? value.split(',') : [value])
        params.append(key, one);
    const query = params.toString();
    const full = query === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${query}`;
    const answer = await send('GET', full, { Accept: JSON_ACCEPT }, undefined, signal);
    return jsonOf(answer, `a QIDO-RS search of ${level}`).map((item) => ({
      studyInstanceUid: textOf(item, TAG.studyInstanceUid),
      seriesInstanceUid: textOf(item, TAG.seriesInstanceUid),
      sopInstanceUid: textOf(item, TAG.sopInstanceUid),
      patientId: textOf(item, TAG.patientId),
      patientName: textOf(item, TAG.patientName),
      studyDate: textOf(item, TAG.studyDate),
      description:
        textOf(item, level === 'studies' ? TAG.studyDescription : TAG.seriesDescription) ?? null,
      modality:
        textOf(item, TAG.modality) ??
        (item[TAG.modalitiesInStudy]?.Value as string[] | undefined)?.join('\\') ??
        null,
      accessionNumber: textOf(item, TAG.accessionNumber),
      seriesNumber: numberOf(item, TAG.seriesNumber),
      instances: numberOf(item, level === 'studies' ? TAG.studyInstances : TAG.seriesInstances),
    }));
  }

  return {
    root,
    search,
    /** QIDO-RS of one study: answers (possibly nothing) within the timeout, or throws why not. */
    async ping(signal?: AbortSignal): Promise<{ ms: number }> {
      const started = performance.now();
      await search('studies', { limit: '1' }, {}, signal);
      return { ms: Math.round(performance.now() - started) };
    },
    /**
     * WADO-RS of a study or one series: its instances as Part 10 files (the bytes of each
     * part). The whole answer is held in memory: callers retrieve series by series.
     */
    async retrieve(
      studyInstanceUid: string,
      seriesInstanceUid?: string,
      signal?: AbortSignal,
    ): Promise<Buffer[]> {
      const path =
        `studies/${encodeURIComponent(studyInstanceUid)}` +
        (seriesInstanceUid === undefined ? '' : `/series/${encodeURIComponent(seriesInstanceUid)}`);
      const answer = await send(
        'GET',
        path,
        { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
        undefined,
        signal,
      );
      if (answer.status === 404 || answer.status === 204) return [];
      if (answer.status !== 200)
        throw new AppError(
          'PROVIDER_UNAVAILABLE',
          `${root} answered HTTP ${answer.status} to a WADO-RS retrieve${errorText(answer)}`,
        );
      const contentType = answer.headers['content-type'] ?? '';
      const parts = parseMultipart(answer.body, contentType);
      const type = contentTypeParam(contentType, 'type');
      return parts
        .filter((p) => {
          const partType = p.headers['content-type'] ?? type ?? 'application/dicom';
          return /^application\/dicom\b/i.test(partType);
        })
        .map((p) => p.body);
    },
    /**
     * STOW-RS of Part 10 files in one request. Resolves with the PACS's answer per instance;
     * throws DicomWebUnavailable when it did not answer (network, 5xx: try again later) and
     * AppError when it refused the request as a whole (credentials, a bad URL).
     */
    async store(files: readonly Buffer[], studyInstanceUid?: string): Promise<StowAnswer> {
      const body = buildMultipart(files);
      const path =
        studyInstanceUid === undefined
          ? 'studies'
          : `studies/${encodeURIComponent(studyInstanceUid)}`;
      const answer = await send(
        'POST',
        path,
        {
          'Content-Type': body.contentType,
          Accept: JSON_ACCEPT,
        },
        body.chunks,
      );
      const result: StowAnswer = {
        stored: new Set(),
        failed: new Map(),
        httpStatus: answer.status,
      };
      // 200 all stored, 202 some refused, 409 all refused (PS3.18 10.5.3): the body says which.
      if (![200, 202, 409].includes(answer.status))
        throw new AppError(
          'PROVIDER_UNAVAILABLE',
          `${root} answered HTTP ${answer.status} to a STOW-RS store${errorText(answer)}: check the DICOMweb URL.`,
        );
      let response: DicomJson;
      try {
        const parsed: unknown = JSON.parse(answer.body.toString('utf8'));
        response = (Array.isArray(parsed) ? parsed[0] : parsed) as DicomJson;
      } catch {
        throw new DicomWebUnavailable(
          `${root} answered the STOW-RS store without a readable DICOM JSON response.`,
        );
      }
      for (const item of itemsOf(response, TAG.referencedSopSequence)) {
        const uid = textOf(item, TAG.referencedSopInstanceUid);
        if (uid !== null) result.stored.add(uid);
      }
      for (const item of itemsOf(response, TAG.failedSopSequence)) {
        const uid = textOf(item, TAG.referencedSopInstanceUid);
        const reason = numberOf(item, TAG.failureReason);
        if (uid !== null)
          result.failed.set(uid, {
            reason,
            text: `failure reason ${reason === null ? 'not given' : `0x${reason.toString(16).toUpperCase().padStart(4, '0')}`}`,
          });
      }
      return result;
    },
  };
}
export type DicomWebClient = ReturnType<typeof createDicomWebClient>;
