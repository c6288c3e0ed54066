/**
 * Wires the omnichannel actions (`workspace/omnichannel/`, Rocket.Chat's livechat REST paths) into every instance's
 * HTTP front: one omnichannel state (visitors, inquiries, messages, subscriptions) for the cluster, and for each
 * instance a context whose `fire` runs the app's listeners in that instance's runtime only.
 */
import type { Cluster } from '../engine/cluster';
import { routeOmnichannel } from '../omnichannel';
import type { OmnichannelContext } from '../omnichannel/context';
import { createOmnichannelState, omnichannelContext } from '../omnichannel/wiring';
import type { OmnichannelRoute } from './server';

export function omnichannelRoute(cluster: Cluster): OmnichannelRoute {
	const omnichannel = createOmnichannelState(cluster.state);
	const contexts = new Map<number, OmnichannelContext>();
	return async (instance, request) => {
		let context = contexts.get(instance);
		if (!context) {
			context = omnichannelContext(cluster.state, omnichannel, (interfaceName, payload) => cluster.fire(instance, interfaceName, payload));
			contexts.set(instance, context);
		}
		return routeOmnichannel(context, request);
	};
}
