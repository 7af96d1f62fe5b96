// An object store's "object created" notification, as S3 sends it (and MinIO's webhook target,
// and anything S3-compatible): `{ Records: [{ eventName, s3: { bucket: { name }, object: { key,
// size, eTag } } }] }`, turned into the asset events it stands for. WEBHOOK_ASSETS maps object
// URL prefixes (`s3://bucket/prefix/`) to asset URIs; the longest matching prefix wins.

const MAX_OBJECTS_IN_EXTRA = 20;

/** `WEBHOOK_ASSETS` read, or `{ problem }`; `null` when not set. */
export function webhookRoutes(text) {
  if (!text) return null;
  try {
    const routes = JSON.parse(text);
    if (routes === null || typeof routes !== "object" || Array.isArray(routes)) throw new Error("not an object");
    const out = Object.entries(routes);
    if (!out.every(([prefix, uri]) => /^[a-z][a-z0-9+.-]*:\/\/./i.test(prefix) && typeof uri === "string" && uri)) throw new Error("bad entry");
    return out.sort((a, b) => b[0].length - a[0].length);
  } catch {
    return { problem: 'WEBHOOK_ASSETS as a JSON object of object URL prefix to asset URI, e.g. {"s3://lake/orders/": "s3://lake/orders"}' };
  }
}

// S3 writes keys form-encoded: `+` for a space, `%XX` for the rest.
function objectKey(raw) {
  try {
    return decodeURIComponent(String(raw).replace(/\+/g, " "));
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
    const name = typeof record?.eventName === "string" ? record.eventName : "";
    const bucket = record?.s3?.bucket?.name;
    const key = objectKey(record?.s3?.object?.key ?? "");
    // Only creations: a deletion or a restore says nothing new landed.
    if (!/^(s3:)?ObjectCreated:/.test(name) || typeof bucket !== "string" || !bucket || !key) {
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
    const entry = byAsset.get(uri) ?? { uri, extra: { source: "object store notification", event_name: name, objects: [], object_count: 0 } };
    entry.extra.object_count++;
    if (entry.extra.objects.length < MAX_OBJECTS_IN_EXTRA) {
      const { size, eTag } = record.s3.object;
      entry.extra.objects.push({ url, ...(Number.isFinite(size) ? { size } : {}), ...(typeof eTag === "string" ? { etag: eTag } : {}) });
    }
    byAsset.set(uri, entry);
  }
  return { events: [...byAsset.values()], skipped };
}
