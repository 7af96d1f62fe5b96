// Cold start baseline: a worker that does nothing.
export default {
  async fetch() {
    return Response.json({ valid: true });
  },
};
