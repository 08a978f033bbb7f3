//! Shards: a build split over N machines (`--shard I/N`), each publication in exactly one.
//!
//! The shard of a publication is a stable hash of its id (64-bit FNV-1a, written out here so
//! that it is the same on every platform and Rust version), modulo N.

/// The shard (0 to `count` − 1) that builds the publication `id`.
pub fn shard_of(id: &str, count: u32) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in id.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (hash % u64::from(count.max(1))) as u32
}

#[cfg(test)]
mod tests {
    use super::shard_of;

    #[test]
    fn the_hash_is_fnv_1a_and_so_the_same_everywhere() {
        // Known FNV-1a 64 values: "" and "a".
        assert_eq!(
            shard_of("", u32::MAX),
            (0xcbf2_9ce4_8422_2325u64 % u64::from(u32::MAX)) as u32
        );
        assert_eq!(
            shard_of("a", u32::MAX),
            (0xaf63_dc4c_8601_ec8cu64 % u64::from(u32::MAX)) as u32
        );
    }

    #[test]
    fn every_publication_lands_in_exactly_one_shard_and_shards_share_the_work() {
        let ids: Vec<String> = (0..1000).map(|i| format!("publication-{i:04}")).collect();
        for count in 1..=8 {
            let mut sizes = vec![0usize; count as usize];
            for id in &ids {
                let shard = shard_of(id, count);
                assert!(shard < count);
                sizes[shard as usize] += 1;
            }
            assert_eq!(sizes.iter().sum::<usize>(), ids.len());
            let fair = ids.len() / count as usize;
            assert!(
                sizes.iter().all(|s| *s > fair / 2),
                "{count} shards: {sizes:?}"
            );
        }
    }
}
