/* certstore: puts a CA certificate into the Windows certificate store's
 * trusted roots, or takes it out, as a city's IT does on its laptops
 * (certutil -addstore Root, or a group policy). Wine 8's certutil.exe is a
 * stub, so the test (.ci/windows/sync) uses this instead, through the same
 * crypt32 calls an installer would make.
 *
 *   certstore add machine|user CA.crt     trust the CA (LocalMachine or
 *                                         CurrentUser "Root" store)
 *   certstore remove machine|user CA.crt  trust it no more
 *   certstore has machine|user CA.crt     exit 0 if the store has it, 1 if not
 *
 * CA.crt is PEM (or DER). Prints one line; exits 2 on any failure.
 * Built with mingw by .ci/windows/setup; tests only, never shipped. */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <string.h>

static int fail(const char *what)
{
    printf("certstore: %s failed (error 0x%08lx)\n", what, (unsigned long)GetLastError());
    return 2;
}

int main(int argc, char **argv)
{
    FILE *f;
    static BYTE pem[1 << 16];
    static BYTE der[1 << 16];
    DWORD pem_len, der_len = sizeof(der);
    DWORD location;
    HCERTSTORE store;
    PCCERT_CONTEXT cert, found;
    int rc = 0;

    if (argc != 4 || (strcmp(argv[2], "machine") && strcmp(argv[2], "user")))
    {
        printf("usage: certstore add|remove|has machine|user CA.crt\n");
        return 2;
    }
    location = strcmp(argv[2], "machine") ? CERT_SYSTEM_STORE_CURRENT_USER
                                          : CERT_SYSTEM_STORE_LOCAL_MACHINE;
    if (!(f = fopen(argv[3], "rb")))
    {
        printf("certstore: cannot open %s\n", argv[3]);
        return 2;
    }
    pem_len = (DWORD)fread(pem, 1, sizeof(pem) - 1, f);
    fclose(f);
    pem[pem_len] = 0;
    if (!CryptStringToBinaryA((const char *)pem, pem_len, CRYPT_STRING_BASE64HEADER,
                              der, &der_len, NULL, NULL))
    {
        memcpy(der, pem, pem_len);
        der_len = pem_len;
    }
    if (!(cert = CertCreateCertificateContext(X509_ASN_ENCODING, der, der_len)))
        return fail("reading the certificate");
    /* Only an addition may create the store (a user's own Root store is
     * made by the first certificate put in it). */
    if (strcmp(argv[1], "add"))
        location |= CERT_STORE_OPEN_EXISTING_FLAG;
    store = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, location, L"Root");
    if (!store && GetLastError() == ERROR_FILE_NOT_FOUND && strcmp(argv[1], "add"))
    {
        printf("certstore: not in the %s Root store\n", argv[2]);
        return strcmp(argv[1], "has") ? 0 : 1;
    }
    if (!store)
        return fail("opening the Root store");

    found = CertFindCertificateInStore(store, X509_ASN_ENCODING, 0, CERT_FIND_EXISTING, cert, NULL);
    if (!strcmp(argv[1], "add"))
    {
        if (!CertAddCertificateContextToStore(store, cert, CERT_STORE_ADD_REPLACE_EXISTING, NULL))
            rc = fail("adding to the Root store");
        else
            printf("certstore: added to the %s Root store\n", argv[2]);
    }
    else if (!strcmp(argv[1], "remove"))
    {
        if (!found)
            printf("certstore: not in the %s Root store\n", argv[2]);
        else if (!CertDeleteCertificateFromStore(CertDuplicateCertificateContext(found)))
            rc = fail("removing from the Root store");
        /* A registry store writes a deletion out on commit (or on its
         * last close, which Wine 8 does not reach here). */
        else if (!CertControlStore(store, 0, CERT_STORE_CTRL_COMMIT, NULL))
            rc = fail("committing the Root store");
        else
            printf("certstore: removed from the %s Root store\n", argv[2]);
    }
    else if (!strcmp(argv[1], "has"))
    {
        printf("certstore: %s the %s Root store\n", found ? "in" : "not in", argv[2]);
        rc = found ? 0 : 1;
    }
    else
    {
        printf("usage: certstore add|remove|has machine|user CA.crt\n");
        rc = 2;
    }
    if (found)
        CertFreeCertificateContext(found);
    CertFreeCertificateContext(cert);
    CertCloseStore(store, 0);
    return rc;
}
