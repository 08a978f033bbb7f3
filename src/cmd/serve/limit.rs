//! Per-client rate limits: a token bucket per client address. A client may make `rate`
//! requests a second on average, in bursts of up to twice that; past it, 429.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

/// Clients remembered at most; idle buckets are forgotten first.
const MAX_CLIENTS: usize = 10_000;

pub struct Limiter {
    rate: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl Limiter {
    /// `rate` requests per second per client; 0: no limit.
    pub fn new(rate: u32) -> Limiter {
        Limiter {
            rate: rate as f64,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `client` may make a request now (and counts it).
    pub fn allow(&self, client: IpAddr) -> bool {
        if self.rate <= 0.0 {
            return true;
        }
        let burst = 2.0 * self.rate;
        let now = Instant::now();
        let mut buckets = self.buckets.lock().expect("buckets");
        if buckets.len() >= MAX_CLIENTS && !buckets.contains_key(&client) {
            // Full buckets are idle clients: forgetting them changes nothing.
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * self.rate < burst
            });
        }
        let (tokens, at) = buckets.entry(client).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.rate).min(burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_past_twice_the_rate_is_refused() {
        let limiter = Limiter::new(5);
        let client: IpAddr = "127.0.0.1".parse().unwrap();
        let allowed = (0..20).filter(|_| limiter.allow(client)).count();
        assert_eq!(allowed, 10);
        assert!(Limiter::new(0).allow(client));
    }
}
