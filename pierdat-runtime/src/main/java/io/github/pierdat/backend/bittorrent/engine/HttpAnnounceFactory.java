package io.github.pierdat.backend.bittorrent.engine;

import bt.peer.IPeerRegistry;
import bt.runtime.Config;
import bt.service.IdentityService;
import bt.torrent.TorrentRegistry;
import bt.tracker.Tracker;
import bt.tracker.TrackerFactory;
import bt.tracker.http.HttpTracker;
import bt.tracker.http.urlencoding.TrackerQueryBuilder;
import com.google.inject.Inject;
import java.net.InetAddress;

/**
 * HTTP(S) trackers as bt's HTTP tracker client talks to them, except that a wildcard listening address
 * (0.0.0.0 or ::) is never sent as {@code ip=}: the tracker then records the address the announce came
 * from, which is the one peers can reach. An explicit advertise address is still sent.
 */
final class HttpAnnounceFactory implements TrackerFactory {

  private final TorrentRegistry torrents;
  private final IdentityService identity;
  private final IPeerRegistry peers;
  private final Config config;

  @Inject
  HttpAnnounceFactory(TorrentRegistry torrents, IdentityService identity, IPeerRegistry peers, Config config) {
    this.torrents = torrents;
    this.identity = identity;
    this.peers = peers;
    this.config = config;
  }

  @Override
  public Tracker getTracker(String trackerUrl) {
    InetAddress announced = config.getPeerAddress().orElse(config.getAcceptorAddress());
    boolean dropIp = announced.isAnyLocalAddress();
    return new HttpTracker(trackerUrl, torrents, identity, peers, config.getEncryptionPolicy(),
        config.getAcceptorAddress(), config.getNumberOfPeersToRequestFromTracker(), config.getTrackerTimeout()) {
      @Override
      protected TrackerQueryBuilder createTrackerQuery(TrackerRequestType type,
          bt.tracker.TrackerRequestBuilder request) {
        TrackerQueryBuilder query = super.createTrackerQuery(type, request);
        if (!dropIp) {
          return query;
        }
        return new TrackerQueryBuilder() {
          @Override
          public String toQuery() {
            return query.toQuery().replaceAll("(?<=^|&)ip=[^&]*&?", "").replaceAll("&$", "");
          }
        };
      }
    };
  }
}
