import { demoData } from '../workspace/data/demo';
import { RoomIndex, searchRoomSet, countRoomSet } from '../src/index/RoomIndex';
import { zlibPacker } from '../src/engine/zlibPacker';
import { QUERIES, roomQuery } from './queries';
import type { RoomDocument } from '../src/rooms/RoomDocument';
const N = Number(process.env.N ?? 100000);
const data = demoData({ rooms: N });
import { tagged, untagInPlace } from '../src/index/codec';
const lines = Buffer.from(data.rooms.filter((r) => (r as any).t === 'l').map((r) => JSON.stringify(tagged(r))).join('\n'));
data.rooms.length = 0;
(global as any).gc?.();
const before = process.memoryUsage();
const index = new RoomIndex(zlibPacker);
let t0 = Date.now();
let keep = 0;
let start = 0;
while (process.env.BUILD !== '0' && start < lines.length) { let end = lines.indexOf(10, start); if (end < 0) end = lines.length; index.apply(untagInPlace(JSON.parse(lines.toString('utf8', start, end))) as RoomDocument); keep++; start = end + 1; }
console.log('build ms', Date.now() - t0);
(global as any).gc?.();
const after = process.memoryUsage();
console.log('abs heap MB', (after.heapUsed/1e6).toFixed(1), 'ab MB', ((after.external+after.arrayBuffers)/1e6).toFixed(1));
if (process.env.BUILD === '0') process.exit(0);
console.log('rooms', keep, 'heap B/room', ((after.heapUsed - before.heapUsed) / keep).toFixed(0), 'ext+ab B/room', ((after.external + after.arrayBuffers - before.external - before.arrayBuffers) / keep).toFixed(0));
if (process.env.PROFILE) { const { Session } = require('inspector'); const session = new Session(); session.connect(); session.post('Profiler.enable'); session.post('Profiler.start'); for (let r = 0; r < 20; r++) for (const q of QUERIES.filter((x) => x.typical && !x.label.includes('$or'))) { searchRoomSet(roomQuery(q), index); countRoomSet(roomQuery(q), index); } session.post('Profiler.stop', (_e: unknown, { profile }: any) => { require('fs').writeFileSync('/tmp/probe/q.cpuprofile', JSON.stringify(profile)); }); }
for (const q of QUERIES) {
  const query = roomQuery(q);
  const times: number[] = [];
  const ctimes: number[] = [];
  let total = 0;
  for (let i = 0; i < 5; i++) {
    t0 = performance.now(); total = searchRoomSet(query, index).total; times.push(performance.now() - t0);
    t0 = performance.now(); countRoomSet(query, index); ctimes.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b); ctimes.sort((a, b) => a - b);
  console.log(q.label.padEnd(30), 'total', String(total).padStart(7), 'search ms', times[2].toFixed(2).padStart(8), 'counts ms', ctimes[2].toFixed(2).padStart(8), 'first', times[0].toFixed(1));
}
const q0 = roomQuery(QUERIES[0]);
console.log('count path', index.count(q0) === undefined ? 'fallback' : 'columns');
const cols = (index as any).rooms;
for (const f of ['t','open','onHold','servedBy','departmentId','departmentAncestors','tags','livechatData','source']) console.log(f, cols.distinct(f));
let packed = 0; for (const b of cols.blocks) packed += b.packed ? b.packed.length : 0;
console.log('packed B/room', (packed / keep).toFixed(0));
const dictKeys: Record<string, number> = {};
for (const f of Object.keys(cols.dictionaries)) { let k = 0; for (const key of cols.dictionaries[f].codes.keys()) k += key.length; dictKeys[f] = Math.round(k / keep); }
console.log('dictionary key chars per room', JSON.stringify(dictKeys));
