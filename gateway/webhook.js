// An object store's "object created" notification in S3's event format (what MinIO's webhook
// target posts; S3 itself delivers it through SNS, SQS, Lambda or EventBridge, whose relay posts
// the same body): `{ Records: [{ eventName, s3: { bucket: { name }, object: { key, size, eTag } } }] }`,
// turned into the asset events it stands for. WEBHOOK_ASSETS maps object URL prefixes
// (`s3://bucket/prefix/`) to asset URIs; the longest matching prefix wins.

const MAX_OBJECTS_IN_EXTRA = 20;
const MAX_KEY = 1024; // S3's limit, in bytes of UTF-8; characters here, a little looser
// New content only: tagging, retention or a legal hold (also ObjectCreated:* in MinIO) is not data landing.
const CREATED = /^(s3:)?ObjectCreated:(Put|Post|Copy|CompleteMultipartUpload)$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.*\/)?$/;

/** `WEBHOOK_ASSETS` read and checked, or `{ problem }`; `null` when not set. */
export function webhookRoutes(text, allowedAssets) {
  if (!text) return null;
  const problem = (why) => ({
    problem: `WEBHOOK_ASSETS as a JSON object of object URL prefix (s3://bucket/ or s3://bucket/some/prefix/, ending in /) to an asset URI in ALLOWED_ASSETS (${why})`,
  });
  let routes;
  try {
    routes = JSON.parse(text);
  } catch {
    return problem("not JSON");
  }
  if (routes === null || typeof routes !== "object" || Array.isArray(routes)) return problem("not an object");
  const out = Object.entries(routes);
  for (const [prefix, uri] of out) {
    if (!PREFIX.test(prefix)) return problem("a prefix is not s3://bucket/... ending in /");
    if (typeof uri !== "string" || !allowedAssets.has(uri)) return problem("a route leads to an asset that is not allowlisted");
  }
  return out.sort((a, b) => b[0].length - a[0].length);
}

// S3 writes keys form-encoded: `+` for a space, `%XX` for the rest.
function objectKey(raw) {
  if (typeof raw !== "string") return null;
  try {
    const key = decodeURIComponent(raw.replace(/\+/g, " "));
    // eslint-disable-next-line no-control-regex
    return key.length > 0 && key.length <= MAX_KEY && !/[\u0000-\u001f\u007f]/.test(key) ? key : null;
  } catch {
    return null;
  }
}

/**
 * The asset events a notification stands for: `{ events: [{ uri, extra }], skipped }`, one event
 * per asset whatever the number of its objects, or `{ error }` for a body that is not one.
 */
export function eventsOf(notification, routes) {
  const records = notification?.Records;
  if (!Array.isArray(records)) return { error: "The body must be an object store notification: { Records: [...] }." };
  const byAsset = new Map();
  let skipped = 0;
  for (const record of records) {
    const name = record?.eventName;
    const bucket = record?.s3?.bucket?.name;
    const key = objectKey(record?.s3?.object?.key);
    if (typeof name !== "string" || !CREATED.test(name) || typeof bucket !== "string" || !BUCKET.test(bucket) || key === null) {
      skipped++;
      continue;
    }
    const url = `s3://${bucket}/${key}`;
    const route = routes.find(([prefix]) => url.startsWith(prefix));
    if (!route) {
      skipped++;
      continue;
    }
    const [, uri] = route;
    const entry = byAsset.get(uri) ?? { uri, urls: new Set(), extra: { source: "object store notification", objects: [], object_count: 0 } };
    if (entry.urls.has(url)) continue; // the same object twice counts once
    entry.urls.add(url);
    entry.extra.object_count++;
    if (entry.extra.objects.length < MAX_OBJECTS_IN_EXTRA) {
      const { size, eTag } = record.s3.object;
      entry.extra.objects.push({
        url,
        ...(Number.isSafeInteger(size) && size >= 0 ? { size } : {}),
        ...(typeof eTag === "string" && /^"?[0-9A-Za-z-]{1,64}"?$/.test(eTag) ? { etag: eTag.replace(/"/g, "") } : {}),
      });
    }
    byAsset.set(uri, entry);
  }
  return { events: [...byAsset.values()].map(({ uri, extra }) => ({ uri, extra })), skipped };
}
