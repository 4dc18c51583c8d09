//! The platform functions on the platform the tests run on (Linux, and
//! Windows under Wine in CI), and the pure path rules on both.

use super::*;

/// Whether `path` is the user's alone, where that can be seen: Wine keeps
/// no ACLs (see `windows::under_wine`), so there the ACL itself is checked
/// in memory below instead.
pub(crate) fn private(path: &Path) -> bool {
    match access(path) {
        Ok(a) => a.is_private(),
        Err(e) if e.kind() == io::ErrorKind::Unsupported => true,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

#[test]
fn made_private_files_and_folders_are_the_users_alone() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.db");
    std::fs::write(&f, b"x").unwrap();
    make_private(&f, false).unwrap();
    assert!(private(&f), "{:?}", access(&f));
    let d = dir.path().join("data");
    std::fs::create_dir(&d).unwrap();
    make_private(&d, true).unwrap();
    assert!(private(&d), "{:?}", access(&d));
    #[cfg(unix)]
    {
        assert_eq!(access(&f).unwrap(), Access::Mode(0o600));
        assert_eq!(access(&d).unwrap(), Access::Mode(0o700));
    }
    #[cfg(windows)]
    if !windows::under_wine() {
        assert!(matches!(access(&f).unwrap(), Access::Acl { .. }));
    }
}

#[cfg(windows)]
fn sid(text: &str) -> (Vec<u16>, windows_sys::Win32::Security::PSID) {
    use windows_sys::Win32::Security::Authorization::ConvertStringSidToSidW;
    let w: Vec<u16> = text.encode_utf16().chain(std::iter::once(0)).collect();
    let mut p = std::ptr::null_mut();
    // SAFETY: a NUL-terminated string; the SID is leaked (a test).
    assert_ne!(unsafe { ConvertStringSidToSidW(w.as_ptr(), &mut p) }, 0);
    (w, p)
}

#[cfg(windows)]
#[test]
fn the_owner_only_acl_lets_the_user_alone_in_and_others_are_named() {
    use windows_sys::Win32::Security::{ACE_HEADER, GetAce};
    let user = windows::User::current().unwrap();
    for dir in [false, true] {
        let acl = windows::acl_for(&[user.sid()], dir).unwrap();
        assert_eq!(windows::others_in(acl.0, user.sid()), Vec::<String>::new());
        let mut ace = std::ptr::null_mut();
        // SAFETY: index 0 of a one-entry ACL.
        assert_ne!(unsafe { GetAce(acl.0, 0, &mut ace) }, 0);
        // SAFETY: an ACE starts with its header.
        let header = unsafe { *ace.cast::<ACE_HEADER>() };
        assert_eq!(header.AceType, 0, "allow");
        assert_eq!(header.AceFlags & 3 != 0, dir, "a folder passes it on");
    }
    let (_w, everyone) = sid("S-1-1-0");
    let (_w2, system) = sid("S-1-5-18");
    let (_w3, users) = sid("S-1-5-32-545");
    let acl = windows::acl_for(&[user.sid(), everyone, system], false).unwrap();
    let others = windows::others_in(acl.0, user.sid());
    assert_eq!(others.len(), 1, "{others:?}");
    assert!(
        others[0].contains("Everyone") || others[0] == "S-1-1-0",
        "{others:?}"
    );
    let acl = windows::acl_for(&[users], true).unwrap();
    assert_eq!(windows::others_in(acl.0, user.sid()).len(), 1);
    assert_eq!(
        windows::others_in(std::ptr::null(), user.sid()),
        ["Everyone"],
        "no DACL at all"
    );
}

#[cfg(unix)]
#[test]
fn a_loose_file_is_reported_with_its_fix() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("it's.db");
    std::fs::write(&f, b"x").unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(access(&f).unwrap(), Access::Mode(0o644));
    assert!(!access(&f).unwrap().is_private());
    assert!(
        Access::Mode(0o700).is_private(),
        "the owner's own bits are fine"
    );
    let fix = fix_command(&f, false);
    assert!(fix.starts_with("chmod 600 '"), "{fix}");
    assert!(fix.ends_with(r"it'\''s.db'"), "quoted for the shell: {fix}");
}

#[test]
fn missing_parents_are_made_private_too_and_existing_ones_left() {
    let dir = tempfile::tempdir().unwrap();
    let before = access(dir.path()).ok();
    let deep = dir.path().join("a").join("b").join("c");
    create_private_dir_all(&deep).unwrap();
    for d in [
        dir.path().join("a"),
        dir.path().join("a").join("b"),
        deep.clone(),
    ] {
        assert!(d.is_dir());
        assert!(private(&d), "{}", d.display());
    }
    assert_eq!(access(dir.path()).ok(), before, "not made by us");
    create_private_dir_all(&deep).unwrap();
}

#[test]
fn file_identity_sees_one_file_behind_two_names() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    let b = dir.path().join("b.db");
    std::fs::write(&a, b"a").unwrap();
    std::fs::write(&b, b"b").unwrap();
    let link = dir.path().join("link.db");
    std::fs::hard_link(&a, &link).unwrap();
    assert_eq!(file_id(&a).unwrap(), file_id(&link).unwrap());
    assert_ne!(file_id(&a).unwrap(), file_id(&b).unwrap());
    let dotted = dir.path().join(".").join("a.db");
    assert_eq!(file_id(&a).unwrap(), file_id(&dotted).unwrap());
    assert!(file_id(&dir.path().join("none")).is_err());
}

#[test]
fn the_secret_comes_back_from_its_protected_form() {
    let secret: Vec<u8> = (0..32).collect();
    let stored = protect_secret(&secret).unwrap();
    assert_eq!(unprotect_secret(&stored).unwrap(), secret);
    #[cfg(windows)]
    {
        assert_ne!(stored, secret, "DPAPI, not the plain bytes");
        assert!(
            !stored.windows(8).any(|w| w == &secret[..8]),
            "the plain bytes are not inside"
        );
        assert!(unprotect_secret(&stored[..stored.len() - 1]).is_err());
    }
}

#[test]
fn unc_paths_name_their_share() {
    assert_eq!(
        unc_share(r"\\palvelin\koti\tiski\tiski.db").as_deref(),
        Some(r"\\palvelin\koti")
    );
    assert_eq!(
        unc_share(r"\\?\UNC\palvelin\koti\tiski").as_deref(),
        Some(r"\\palvelin\koti")
    );
    assert_eq!(unc_share(r"\\?\C:\Users\a"), None);
    assert_eq!(unc_share(r"\\.\pipe\x"), None);
    assert_eq!(unc_share(r"C:\Users\a"), None);
    assert_eq!(unc_share(r"\\palvelin"), None, "no share named");
}

#[test]
fn onedrive_folders_are_seen_by_variable_and_by_name() {
    let roots = vec![r"C:\Users\neuvoja\OneDrive - Heinolan kaupunki".to_string()];
    assert!(in_onedrive(
        r"C:\Users\neuvoja\OneDrive - Heinolan kaupunki\tiski",
        &roots
    ));
    assert!(in_onedrive(r"c:\users\neuvoja\onedrive\Tiedostot", &[]));
    assert!(in_onedrive(
        r"D:\Sync\OneDrive - Kaupunki\x",
        &["".to_string()]
    ));
    assert!(!in_onedrive(
        r"C:\Users\neuvoja\AppData\Local\tiski\tiski\data",
        &roots
    ));
    assert!(!in_onedrive(r"C:\OneDriveless\x", &[]));
}

#[cfg(unix)]
#[test]
fn network_file_systems_are_named_by_their_magic() {
    assert_eq!(unix::fs_type_name(0x6969), Some("NFS"));
    assert_eq!(unix::fs_type_name(0xFF53_4D42), Some("CIFS"));
    assert_eq!(unix::fs_type_name(0xEF53), None, "ext4");
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(network_kind(dir.path()), None);
}

#[test]
fn paths_become_sqlite_uris_and_lose_the_verbatim_prefix() {
    assert_eq!(plain_verbatim(r"\\?\C:\Users\a"), r"C:\Users\a");
    assert_eq!(plain_verbatim(r"\\?\UNC\srv\share\a"), r"\\srv\share\a");
    assert_eq!(plain_verbatim("/tmp/a"), "/tmp/a");
    #[cfg(unix)]
    assert_eq!(
        sqlite_uri(Path::new("/tmp/a ?#%.db")),
        "file:///tmp/a %3F%23%25.db"
    );
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let latin1 = Path::new(std::ffi::OsStr::from_bytes(b"/tmp/p\xe4iv\xe4/a.db"));
        assert_eq!(sqlite_uri(latin1), "file:///tmp/p%E4iv%E4/a.db");
        assert_eq!(
            sqlite_uri(Path::new("/tmp/päivä")),
            "file:///tmp/p%C3%A4iv%C3%A4"
        );
    }
    #[cfg(windows)]
    {
        assert_eq!(
            sqlite_uri(Path::new(r"\\?\Z:\tmp\a.db")),
            "file:///Z:/tmp/a.db"
        );
        assert_eq!(sqlite_uri(Path::new(r"C:\x\a.db")), "file:///C:/x/a.db");
    }
}
