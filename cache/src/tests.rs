//! Unit tests of the store: round trips, damage, trust (keys, owners, modes, symlinks) and cleanup.

use super::*;
use std::fs::File;
use std::os::unix::fs::{symlink, PermissionsExt};

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("sj-cache-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    d
}

fn open(d: &Path) -> Store {
    Store::open_with(d.to_path_buf(), true, None).unwrap()
}

fn entry() -> Entry {
    Entry {
        meta: vec![("function".into(), "f".into()), ("signature".into(), "(int64,)".into())],
        object: vec![0x7f, b'E', b'L', b'F', 1, 2, 3],
    }
}

const KEY: &str = "ab12cd";

fn mode(p: &Path) -> u32 {
    fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
}

fn chmod(p: &Path, m: u32) {
    fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap();
}

#[test]
fn round_trip_and_permissions() {
    let d = tmpdir("rt");
    let s = open(&d);
    assert_eq!(s.get(KEY).unwrap(), None);
    let p = s.put(KEY, &entry()).unwrap();
    assert_eq!(s.get(KEY).unwrap(), Some(entry()));
    assert_eq!(mode(&p), 0o600);
    assert_eq!(mode(&d), 0o700);
    assert_eq!(mode(&d.join("ab")), 0o700);
    assert_eq!(mode(&d.join("integrity.key")), 0o600);
    assert_eq!(fs::metadata(d.join("integrity.key")).unwrap().len(), 32);
    assert!(s.is_marked());
    assert!(fs::read_to_string(d.join("CACHEDIR.TAG")).unwrap().starts_with("Signature: 8a477f597d28d172789f06886806bc55\n"));
    assert_eq!(s.get(KEY).unwrap().unwrap().get("function"), Some("f"));
    // A second open reads the same key: the entry still verifies.
    assert_eq!(open(&d).get(KEY).unwrap(), Some(entry()));
}

#[test]
fn every_truncation_and_every_bit_flip_is_detected() {
    let d = tmpdir("damage");
    let s = open(&d);
    let p = s.put(KEY, &entry()).unwrap();
    let good = fs::read(&p).unwrap();
    for cut in 0..good.len() {
        fs::write(&p, &good[..cut]).unwrap();
        assert!(s.get(KEY).is_err(), "truncated to {cut} bytes was accepted");
    }
    for i in 0..good.len() {
        for bit in 0..8 {
            let mut bad = good.clone();
            bad[i] ^= 1 << bit;
            fs::write(&p, &bad).unwrap();
            assert!(s.get(KEY).is_err(), "flip of bit {bit} of byte {i} was accepted");
        }
    }
}

#[test]
fn another_format_version_is_a_version_error() {
    let d = tmpdir("version");
    let s = open(&d);
    let p = s.put(KEY, &entry()).unwrap();
    let mut b = fs::read(&p).unwrap();
    b[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    fs::write(&p, &b).unwrap();
    assert!(matches!(s.get(KEY), Err(CacheError::Version { .. })));
}

#[test]
fn an_entry_made_with_another_key_is_refused() {
    let (a, b) = (tmpdir("key-a"), tmpdir("key-b"));
    let (sa, sb) = (open(&a), open(&b));
    let pa = sa.put(KEY, &entry()).unwrap();
    fs::create_dir_all(b.join("ab")).unwrap();
    chmod(&b.join("ab"), 0o700);
    fs::copy(&pa, sb.path_of(KEY)).unwrap();
    assert!(matches!(sb.get(KEY), Err(CacheError::Untrusted { .. })), "{:?}", sb.get(KEY));
    let listed = sb.entries(true);
    assert!(matches!(&listed[0].status, Status::Refused(why) if why.contains("integrity key")), "{listed:?}");
    assert!(listed[0].meta.is_none());
}

#[test]
fn a_forged_entry_with_a_correct_checksum_is_refused() {
    let d = tmpdir("forge");
    let s = open(&d);
    let p = s.put(KEY, &entry()).unwrap();
    let mut b = fs::read(&p).unwrap();
    // The attacker edits the object and fixes the unkeyed checksum, without the key.
    let n = b.len();
    b[n - 1] ^= 0xff;
    let sum = *blake3::hash(&b[format::HEADER_LEN..]).as_bytes();
    b[20..52].copy_from_slice(&sum);
    fs::write(&p, &b).unwrap();
    assert!(matches!(s.get(KEY), Err(CacheError::Untrusted { .. })));
}

#[test]
fn an_entry_moved_to_another_key_is_refused() {
    let d = tmpdir("moved");
    let s = open(&d);
    let p = s.put(KEY, &entry()).unwrap();
    let other = "ab99ff";
    fs::copy(&p, s.path_of(other)).unwrap();
    assert!(matches!(s.get(other), Err(CacheError::Untrusted { .. })));
}

#[test]
fn symlinked_entries_and_shards_are_refused() {
    let d = tmpdir("symlink");
    let s = open(&d);
    let p = s.put(KEY, &entry()).unwrap();
    let elsewhere = d.with_extension("elsewhere");
    let _ = fs::remove_dir_all(&elsewhere);
    fs::create_dir_all(&elsewhere).unwrap();
    chmod(&elsewhere, 0o700);
    fs::rename(&p, elsewhere.join("x.sjo")).unwrap();
    symlink(elsewhere.join("x.sjo"), &p).unwrap();
    assert!(matches!(s.get(KEY), Err(CacheError::Unsafe { ref why, .. }) if why.contains("symbolic link")));
    // put replaces the link itself, never its target.
    s.put(KEY, &entry()).unwrap();
    assert!(!fs::symlink_metadata(&p).unwrap().file_type().is_symlink());
    // A shard that is a symlink to a directory with a valid entry.
    fs::remove_dir_all(d.join("ab")).unwrap();
    let q = s.put("cd01", &entry()).unwrap();
    fs::rename(q.parent().unwrap(), elsewhere.join("cd")).unwrap();
    symlink(elsewhere.join("cd"), d.join("cd")).unwrap();
    assert!(matches!(s.get("cd01"), Err(CacheError::Unsafe { ref why, .. }) if why.contains("symbolic link")));
    assert!(s.put("cd02", &entry()).is_err());
    assert!(s.entries(true).is_empty());
}

#[test]
fn group_writable_shards_and_entries_are_refused() {
    let d = tmpdir("groupw");
    let s = open(&d);
    let p = s.put(KEY, &entry()).unwrap();
    chmod(&p, 0o620);
    assert!(matches!(s.get(KEY), Err(CacheError::Unsafe { ref why, .. }) if why.contains("writable by others")));
    chmod(&p, 0o600);
    chmod(p.parent().unwrap(), 0o770);
    assert!(matches!(s.get(KEY), Err(CacheError::Unsafe { ref why, .. }) if why.contains("writable by others")));
    assert!(s.put(KEY, &entry()).is_err());
    chmod(p.parent().unwrap(), 0o700);
    assert_eq!(s.get(KEY).unwrap(), Some(entry()));
}

#[test]
fn foreign_owned_shards_and_entries_are_refused() {
    if trust::euid() != 0 {
        return; // only root can give a file away
    }
    let d = tmpdir("foreign");
    let s = open(&d);
    let p = s.put(KEY, &entry()).unwrap();
    std::os::unix::fs::chown(&p, Some(12345), None).unwrap();
    assert!(matches!(s.get(KEY), Err(CacheError::Unsafe { ref why, .. }) if why.contains("uid 12345")));
    std::os::unix::fs::chown(&p, Some(0), None).unwrap();
    std::os::unix::fs::chown(p.parent().unwrap(), Some(12345), None).unwrap();
    assert!(matches!(s.get(KEY), Err(CacheError::Unsafe { ref why, .. }) if why.contains("uid 12345")));
    let r = tmpdir("foreign-root");
    fs::create_dir_all(&r).unwrap();
    chmod(&r, 0o700);
    std::os::unix::fs::chown(&r, Some(12345), None).unwrap();
    assert!(matches!(Store::open_with(r, true, None), Err(CacheError::Unsafe { .. })));
}

#[test]
fn a_directory_writable_by_others_is_refused() {
    let d = tmpdir("unsafe");
    fs::create_dir_all(&d).unwrap();
    chmod(&d, 0o777);
    assert!(matches!(Store::open_with(d, true, None), Err(CacheError::Unsafe { .. })));
}

#[test]
fn a_key_readable_by_others_or_a_symlink_or_damaged_is_refused() {
    let d = tmpdir("badkey");
    open(&d);
    let k = d.join("integrity.key");
    chmod(&k, 0o640);
    assert!(matches!(Store::open_with(d.clone(), true, None), Err(CacheError::Key { ref why, .. }) if why.contains("0640")));
    chmod(&k, 0o600);
    fs::rename(&k, d.join("real.key")).unwrap();
    symlink(d.join("real.key"), &k).unwrap();
    assert!(matches!(Store::open_with(d.clone(), true, None), Err(CacheError::Key { ref why, .. }) if why.contains("symbolic")));
    fs::remove_file(&k).unwrap();
    fs::write(&k, b"short").unwrap();
    chmod(&k, 0o600);
    assert!(matches!(Store::open_with(d.clone(), true, None), Err(CacheError::Key { ref why, .. }) if why.contains("5 bytes")));
}

#[test]
fn processes_creating_the_key_at_once_agree_on_one() {
    let d = tmpdir("race");
    let stores: Vec<Store> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..8).map(|_| sc.spawn(|| open(&d))).collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    stores[3].put(KEY, &entry()).unwrap();
    for s in &stores {
        assert_eq!(s.get(KEY).unwrap(), Some(entry()));
    }
    let names: Vec<String> = fs::read_dir(&d).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn a_shared_key_file_makes_two_directories_trust_each_other() {
    let (a, b, kd) = (tmpdir("shared-a"), tmpdir("shared-b"), tmpdir("shared-key"));
    fs::create_dir_all(&kd).unwrap();
    let key = kd.join("cluster.key");
    fs::write(&key, [7u8; 40]).unwrap();
    chmod(&key, 0o644);
    let sa = Store::open_with(a.clone(), true, Some(&key)).unwrap();
    let sb = Store::open_with(b.clone(), true, Some(&key)).unwrap();
    assert!(!a.join("integrity.key").exists());
    let p = sa.put(KEY, &entry()).unwrap();
    fs::create_dir_all(b.join("ab")).unwrap();
    chmod(&b.join("ab"), 0o700);
    fs::copy(&p, sb.path_of(KEY)).unwrap();
    assert_eq!(sb.get(KEY).unwrap(), Some(entry()));
    // Without the shared key, b's own key does not verify it.
    assert!(matches!(open(&b).get(KEY), Err(CacheError::Untrusted { .. })));
    chmod(&key, 0o666);
    assert!(matches!(Store::open_with(a.clone(), true, Some(&key)), Err(CacheError::Key { .. })));
    assert!(
        matches!(Store::open_with(a, true, Some(&kd.join("missing"))), Err(CacheError::Key { ref why, .. }) if why.contains("does not exist"))
    );
}

#[test]
fn prune_evicts_the_least_recently_used_first() {
    let d = tmpdir("prune");
    let s = open(&d);
    let big = Entry { meta: vec![], object: vec![7; 1000] };
    for (i, key) in ["aa01", "bb02", "cc03"].iter().enumerate() {
        let p = s.put(key, &big).unwrap();
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000 + i as u64);
        File::options().write(true).open(&p).unwrap().set_modified(t).unwrap();
    }
    let size = s.entries(false)[0].size;
    let swept = s.prune(2 * size).unwrap();
    assert_eq!((swept.removed, swept.freed), (1, size));
    let mut left: Vec<String> = s.entries(false).into_iter().map(|e| e.key).collect();
    left.sort();
    assert_eq!(left, ["bb02", "cc03"]);
    assert_eq!(s.clear().unwrap().removed, 2);
    assert!(s.entries(false).is_empty());
}

fn old(p: &Path) {
    let t = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    File::options().write(true).open(p).unwrap().set_modified(t).unwrap();
}

#[test]
fn cleanup_removes_only_what_the_store_wrote() {
    let d = tmpdir("foreign-files");
    let s = open(&d);
    s.put(KEY, &entry()).unwrap();
    let ours_tmp = d.join("ab").join(".ab12cd.999.1.tmp");
    fs::write(&ours_tmp, b"SJCA").unwrap(); // a writer killed mid-header
    let theirs = [
        d.join("ab").join("notes.tmp"),
        d.join("ab").join("ab3456.sjo.bak"),
        d.join("ab").join("cd3456.sjo"),      // the key does not match the shard
        d.join("ab").join("ab7777.sjo"),      // our name, not our header
        d.join("ab").join(".ab12cd.1.2.tmp"), // our name, not our header
        d.join("zz").join("x.tmp"),
        d.join("abc").join("abc1.sjo"),
    ];
    for p in &theirs {
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, b"someone else's data").unwrap();
        old(p);
    }
    old(&ours_tmp);
    let swept = s.prune(1 << 30).unwrap();
    assert_eq!((swept.removed, swept.temporaries), (0, 1));
    let swept = s.clear().unwrap();
    assert_eq!(swept.removed, 1);
    assert!(swept.failed.is_empty());
    for p in &theirs {
        assert!(p.exists(), "{} was removed", p.display());
    }
    assert!(!ours_tmp.exists());
}

#[test]
fn a_directory_the_store_did_not_create_is_never_cleaned() {
    let d = tmpdir("shared-home");
    fs::create_dir_all(d.join("ab")).unwrap();
    chmod(&d, 0o700);
    fs::write(d.join("other-program.db"), b"data").unwrap();
    let s = open(&d);
    assert!(!s.is_marked());
    assert!(!d.join("CACHEDIR.TAG").exists());
    // Its own entries are read and written there...
    s.put(KEY, &entry()).unwrap();
    assert_eq!(s.get(KEY).unwrap(), Some(entry()));
    // ...but nothing is ever removed.
    assert!(matches!(s.clear(), Err(CacheError::NotOurs(_))));
    assert!(matches!(s.prune(0), Err(CacheError::NotOurs(_))));
    assert!(s.path_of(KEY).exists() && d.join("other-program.db").exists());
}

#[test]
fn a_directory_another_process_is_marking_is_the_stores() {
    // Process A created the directory and is writing the marker (its temporary file is there,
    // half written) and the key; process B opening it now must not take it for someone else's.
    let d = tmpdir("being-marked");
    fs::create_dir_all(d.join("ab")).unwrap();
    chmod(&d, 0o700);
    chmod(&d.join("ab"), 0o700);
    let half = &trust::marker_text_for_tests()[..10];
    fs::write(d.join(".CACHEDIR.TAG.4242.0.tmp"), half).unwrap();
    chmod(&d.join(".CACHEDIR.TAG.4242.0.tmp"), 0o600);
    fs::write(d.join(".integrity.key.4242.1.tmp"), [7u8; 32]).unwrap();
    chmod(&d.join(".integrity.key.4242.1.tmp"), 0o600);
    let s = open(&d);
    assert!(s.is_marked(), "the store's own files being written are the store's");
    // Anything else in the root still makes the directory someone else's.
    let e = tmpdir("being-marked-not");
    fs::create_dir_all(&e).unwrap();
    chmod(&e, 0o700);
    fs::write(e.join(".CACHEDIR.TAG.4242.0.tmp.bak"), half).unwrap();
    assert!(!open(&e).is_marked());
    let f = tmpdir("being-marked-long");
    fs::create_dir_all(&f).unwrap();
    chmod(&f, 0o700);
    fs::write(f.join(".integrity.key.1.2.tmp"), [7u8; 33]).unwrap();
    chmod(&f.join(".integrity.key.1.2.tmp"), 0o600);
    assert!(!open(&f).is_marked());
}

#[test]
fn a_cache_of_the_previous_format_is_adopted() {
    let d = tmpdir("v1");
    fs::create_dir_all(d.join("ab")).unwrap();
    chmod(&d, 0o700);
    chmod(&d.join("ab"), 0o700);
    let mut v1 = b"SJCACHE\0".to_vec();
    v1.extend_from_slice(&1u32.to_le_bytes());
    v1.extend_from_slice(&[0; 40]);
    fs::write(d.join("ab").join("ab12cd.sjo"), &v1).unwrap();
    let s = open(&d);
    assert!(s.is_marked(), "a directory holding only the store's files is the store's");
    assert!(matches!(s.get(KEY), Err(CacheError::Version { found: 1, .. })));
    assert_eq!(s.entries(true)[0].status, Status::OtherVersion(1));
    assert_eq!(s.clear().unwrap().removed, 1);
}

#[test]
fn names() {
    assert!(trust::is_tmp_name("ab", ".ab12.345.6.tmp"));
    assert!(!trust::is_tmp_name("ab", ".cd12.345.6.tmp"));
    assert!(!trust::is_tmp_name("ab", ".ab12.x.6.tmp"));
    assert!(!trust::is_tmp_name("ab", "ab12.345.6.tmp"));
    assert!(!trust::is_tmp_name("ab", ".AB12.345.6.tmp"));
    assert_eq!(trust::entry_key("ab", "ab12.sjo"), Some("ab12"));
    assert_eq!(trust::entry_key("ab", "cd12.sjo"), None);
    assert_eq!(trust::entry_key("ab", "ab12.sjo.tmp"), None);
    assert!(matches!(open(&tmpdir("badkey-name")).put("../x", &entry()), Err(CacheError::BadKey(_))));
}

#[test]
fn sizes_parse() {
    assert_eq!(parse_size("1024"), Some(1024));
    assert_eq!(parse_size("64K"), Some(65536));
    assert_eq!(parse_size("2g"), Some(2 << 30));
    assert_eq!(parse_size("lots"), None);
    assert_eq!(parse_size("-5"), None);
}
