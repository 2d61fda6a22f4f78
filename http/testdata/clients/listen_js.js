// Runs a plan of Listen API calls through the official JavaScript client (npm podcast-api).
//
// Usage: NODE_PATH=DIR/node_modules node listen_js.js PLAN.json > RESULTS.json
//
// The plan names each call by its operationId; METHODS maps it to the client's method, as a
// user's code would call it. Operations the client lacks are reported as NoSuchOperation.
const fs = require('fs');
const { Client } = require('podcast-api');

const METHODS = {
  search: 'search',
  searchEpisodeTitles: 'searchEpisodeTitles',
  typeahead: 'typeahead',
  spellcheck: 'spellcheck',
  getRelatedSearches: 'fetchRelatedSearches',
  getTrendingSearches: 'fetchTrendingSearches',
  getBestPodcasts: 'fetchBestPodcasts',
  getPodcastById: 'fetchPodcastById',
  deletePodcastById: 'deletePodcast',
  getEpisodeById: 'fetchEpisodeById',
  getEpisodesInBatch: 'batchFetchEpisodes',
  getPodcastsInBatch: 'batchFetchPodcasts',
  getCuratedPodcastById: 'fetchCuratedPodcastsListById',
  getGenres: 'fetchPodcastGenres',
  getRegions: 'fetchPodcastRegions',
  getLanguages: 'fetchPodcastLanguages',
  justListen: 'justListen',
  getCuratedPodcasts: 'fetchCuratedPodcastsLists',
  getPodcastRecommendations: 'fetchRecommendationsForPodcast',
  getEpisodeRecommendations: 'fetchRecommendationsForEpisode',
  submitPodcast: 'submitPodcast',
  getPlaylistById: 'fetchPlaylistById',
  getPlaylists: 'fetchMyPlaylists',
  getPodcastAudience: 'fetchAudienceForPodcast',
  getPodcastsByDomainName: 'fetchPodcastsByDomain',
};

async function main() {
  const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const client = Client({ apiKey: plan.key });
  client.httpClient.defaults.baseURL = plan.base;
  const results = [];
  for (const call of plan.calls) {
    const result = { name: call.name };
    const method = client[METHODS[call.op]];
    if (!method) {
      result.error = 'NoSuchOperation';
      results.push(result);
      continue;
    }
    try {
      const r = await method(call.args);
      Object.assign(result, { status: r.status, data: r.data, headers: r.headers });
    } catch (e) {
      result.error = e.response ? `HTTP${e.response.status}` : String(e);
      if (e.response) result.status = e.response.status;
    }
    results.push(result);
  }
  process.stdout.write(JSON.stringify({ client: 'npm podcast-api', operations: Object.keys(METHODS).length, results }));
}

main().catch((e) => { console.error(e); process.exit(1); });
