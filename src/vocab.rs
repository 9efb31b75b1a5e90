//! Per-language vocabulary, as data: one table per concept, one row per
//! language the documentation was published in.
//!
//! Words are written lower case and NFKC-normalised, as the normaliser in
//! `ingest` leaves text. Lookups run over every row, not only the row of the
//! document's declared language, because pages lie about their language
//! (a German-locale bulletin ends its H1 with the Chinese `重大`). No word in
//! these tables means different things in two languages; a test checks it.

use crate::model::{Impact, Lang, Severity};

use Impact::*;
use Lang::*;
use Severity::*;

/// Severity words in every inflected form, with their canonical value.
/// Danish "Alvorlig" and German "Hoch" mean Important.
pub const SEVERITY_WORDS: &[(Lang, Severity, &[&str])] = &[
    (Cs, Critical, &["kritická", "kritické", "kritický"]),
    (Cs, Important, &["důležitá", "důležité", "důležitý"]),
    (Cs, Moderate, &["střední"]),
    (Cs, Low, &["nízká", "nízké", "nízký"]),
    (Da, Critical, &["kritisk"]),
    (Da, Important, &["alvorlig", "vigtig"]),
    (Da, Moderate, &["moderat"]),
    (Da, Low, &["lav"]),
    (De, Critical, &["kritisch"]),
    (De, Important, &["hoch", "wichtig"]),
    (De, Moderate, &["mittel"]),
    (De, Low, &["niedrig"]),
    (En, Critical, &["critical"]),
    (En, Important, &["important"]),
    (En, Moderate, &["moderate"]),
    (En, Low, &["low"]),
    (Es, Critical, &["crítico", "crítica"]),
    (Es, Important, &["importante"]),
    (Es, Moderate, &["moderado", "moderada"]),
    (Es, Low, &["bajo", "baja"]),
    (Fi, Critical, &["kriittinen"]),
    (Fi, Important, &["tärkeä"]),
    (Fi, Moderate, &["kohtalainen"]),
    (Fi, Low, &["matala", "alhainen"]),
    (Fr, Critical, &["critique"]),
    (Fr, Important, &["importante"]),
    (Fr, Moderate, &["modéré", "modérée"]),
    (Fr, Low, &["faible"]),
    (Hu, Critical, &["kritikus"]),
    (Hu, Important, &["fontos"]),
    (Hu, Moderate, &["mérsékelt", "közepes"]),
    (Hu, Low, &["alacsony"]),
    (It, Critical, &["critico", "critica"]),
    (It, Important, &["importante"]),
    (It, Moderate, &["moderato", "moderata"]),
    (It, Low, &["basso", "bassa"]),
    (Ja, Critical, &["緊急"]),
    (Ja, Important, &["重要"]),
    (Ja, Moderate, &["警告"]),
    (Ja, Low, &["注意"]),
    (Ko, Critical, &["긴급"]),
    (Ko, Important, &["중요"]),
    (Ko, Moderate, &["보통"]),
    (Ko, Low, &["낮음"]),
    (Nb, Critical, &["kritisk"]),
    (Nb, Important, &["viktig"]),
    (Nb, Moderate, &["moderat"]),
    (Nb, Low, &["lav"]),
    (Nl, Critical, &["kritiek", "kritisch"]),
    (Nl, Important, &["belangrijk"]),
    (Nl, Moderate, &["matig", "gemiddeld"]),
    (Nl, Low, &["laag"]),
    (Pl, Critical, &["krytyczny", "krytyczne", "krytyczna"]),
    (Pl, Important, &["ważny", "ważne", "ważna"]),
    (Pl, Moderate, &["umiarkowany", "umiarkowane", "umiarkowana"]),
    (Pl, Low, &["niski", "niskie", "niska"]),
    (Pt, Critical, &["crítico", "crítica"]),
    (Pt, Important, &["importante"]),
    (Pt, Moderate, &["moderado", "moderada"]),
    (Pt, Low, &["baixo", "baixa"]),
    (
        Ru,
        Critical,
        &["критический", "критическое", "критическая", "критичный"],
    ),
    (Ru, Important, &["важный", "важное", "важная"]),
    (
        Ru,
        Moderate,
        &["средний", "среднее", "средняя", "умеренный"],
    ),
    (Ru, Low, &["низкий", "низкое", "низкая"]),
    (Sv, Critical, &["kritisk", "kritiskt"]),
    (Sv, Important, &["viktig", "viktigt"]),
    (Sv, Moderate, &["medel", "måttlig"]),
    (Sv, Low, &["låg", "lågt"]),
    (Tr, Critical, &["kritik"]),
    (Tr, Important, &["önemli"]),
    (Tr, Moderate, &["orta"]),
    (Tr, Low, &["düşük"]),
    (Zh, Critical, &["重大", "严重", "嚴重"]),
    (Zh, Important, &["重要"]),
    (Zh, Moderate, &["中等", "中度", "普通"]),
    (Zh, Low, &["低", "輕微", "轻微"]),
];

/// Impact phrases, matched as substrings of a lower-cased cell, label value or title.
pub const IMPACT_PHRASES: &[(Lang, Impact, &[&str])] = &[
    (
        Cs,
        RemoteCodeExecution,
        &["vzdálené spuštění kódu", "vzdálenému spuštění kódu"],
    ),
    (Cs, ElevationOfPrivilege, &["zvýšení oprávnění"]),
    (
        Cs,
        DenialOfService,
        &["odepření služby", "odmítnutí služby"],
    ),
    (Cs, InformationDisclosure, &["zpřístupnění informací"]),
    (
        Da,
        RemoteCodeExecution,
        &["fjernudførelse af kode", "fjernkørsel af kode"],
    ),
    (Da, ElevationOfPrivilege, &["udvidelse af rettigheder"]),
    (
        Da,
        DenialOfService,
        &["denial-of-service", "denial of service"],
    ),
    (
        Da,
        InformationDisclosure,
        &[
            "afsløring af oplysninger",
            "offentliggørelse af oplysninger",
        ],
    ),
    (Da, Spoofing, &["spoofing"]),
    (
        Da,
        SecurityFeatureBypass,
        &["omgåelse af sikkerhedsfunktion"],
    ),
    (Da, Tampering, &["uautoriserede ændringer"]),
    (
        De,
        RemoteCodeExecution,
        &[
            "remotecodeausführung",
            "codeausführung von remotestandorten",
            "remote-codeausführung",
            "ausführung von remotecode",
        ],
    ),
    (
        De,
        ElevationOfPrivilege,
        &[
            "erhöhung von berechtigungen",
            "rechteerweiterung",
            "erhöhung der berechtigungen",
        ],
    ),
    (
        De,
        DenialOfService,
        &["denial of service", "dienstverweigerung"],
    ),
    (
        De,
        InformationDisclosure,
        &["offenlegung von informationen"],
    ),
    (De, Spoofing, &["spoofing"]),
    (
        De,
        SecurityFeatureBypass,
        &[
            "umgehung von sicherheitsfunktionen",
            "umgehung der sicherheitsfunktion",
            "umgehen von sicherheitsfunktionen",
        ],
    ),
    (De, Tampering, &["unerlaubte änderungen", "manipulation"]),
    (En, RemoteCodeExecution, &["remote code execution"]),
    (En, ElevationOfPrivilege, &["elevation of privilege"]),
    (En, DenialOfService, &["denial of service"]),
    (En, InformationDisclosure, &["information disclosure"]),
    (En, Spoofing, &["spoofing"]),
    (En, SecurityFeatureBypass, &["security feature bypass"]),
    (En, Tampering, &["tampering"]),
    (
        Es,
        RemoteCodeExecution,
        &["ejecución remota de código", "ejecución de código remoto"],
    ),
    (Es, ElevationOfPrivilege, &["elevación de privilegios"]),
    (Es, DenialOfService, &["denegación de servicio"]),
    (Es, InformationDisclosure, &["divulgación de información"]),
    (Es, Spoofing, &["suplantación de identidad"]),
    (
        Es,
        SecurityFeatureBypass,
        &["omisión de característica de seguridad"],
    ),
    (Fi, RemoteCodeExecution, &["koodin etäsuorittaminen"]),
    (
        Fi,
        ElevationOfPrivilege,
        &["käyttöoikeuksien laajentaminen"],
    ),
    (Fi, DenialOfService, &["palvelunesto"]),
    (Fi, InformationDisclosure, &["tietojen paljastuminen"]),
    (Fr, RemoteCodeExecution, &["exécution de code à distance"]),
    (Fr, ElevationOfPrivilege, &["élévation de privilèges"]),
    (Fr, DenialOfService, &["déni de service"]),
    (Fr, InformationDisclosure, &["divulgation d'informations"]),
    (Fr, Spoofing, &["usurpation"]),
    (
        Fr,
        SecurityFeatureBypass,
        &["contournement de la fonctionnalité de sécurité"],
    ),
    (Hu, RemoteCodeExecution, &["távoli kódfuttatás"]),
    (Hu, ElevationOfPrivilege, &["jogosultságszint-emelés"]),
    (Hu, DenialOfService, &["szolgáltatásmegtagadás"]),
    (Hu, InformationDisclosure, &["információk felfedése"]),
    (
        It,
        RemoteCodeExecution,
        &["esecuzione di codice in modalità remota"],
    ),
    (It, ElevationOfPrivilege, &["elevazione dei privilegi"]),
    (
        It,
        DenialOfService,
        &["negazione del servizio", "denial of service"],
    ),
    (It, InformationDisclosure, &["divulgazione di informazioni"]),
    (
        Ja,
        RemoteCodeExecution,
        &["リモートでコードが実行される", "リモートでコードが実行"],
    ),
    (Ja, ElevationOfPrivilege, &["特権の昇格"]),
    (Ja, DenialOfService, &["サービス拒否"]),
    (Ja, InformationDisclosure, &["情報漏えい", "情報の漏えい"]),
    (Ja, Spoofing, &["なりすまし"]),
    (Ja, SecurityFeatureBypass, &["セキュリティ機能のバイパス"]),
    (Ja, Tampering, &["改ざん"]),
    (Ko, RemoteCodeExecution, &["원격 코드 실행"]),
    (Ko, ElevationOfPrivilege, &["권한 상승"]),
    (Ko, DenialOfService, &["서비스 거부"]),
    (Ko, InformationDisclosure, &["정보 유출", "정보 공개"]),
    (Ko, Spoofing, &["스푸핑"]),
    (Ko, SecurityFeatureBypass, &["보안 기능 우회"]),
    (Nb, RemoteCodeExecution, &["ekstern kjøring av kode"]),
    (
        Nb,
        ElevationOfPrivilege,
        &["rettighetsutvidelse", "utvidede rettigheter"],
    ),
    (Nb, DenialOfService, &["tjenestenekt"]),
    (
        Nb,
        InformationDisclosure,
        &["tilgjengeliggjøring av informasjon"],
    ),
    (Nb, Spoofing, &["etterligningsangrep"]),
    (
        Nb,
        SecurityFeatureBypass,
        &["omgåelse av sikkerhetsfunksjon"],
    ),
    (Nb, Tampering, &["manipulering"]),
    (
        Nl,
        RemoteCodeExecution,
        &[
            "uitvoering van externe code",
            "externe code worden uitgevoerd",
            "code vanaf een externe locatie",
        ],
    ),
    (
        Nl,
        ElevationOfPrivilege,
        &["misbruik van bevoegdheden", "verhoging van bevoegdheden"],
    ),
    (
        Nl,
        DenialOfService,
        &["denial of service", "weigering van service"],
    ),
    (Nl, InformationDisclosure, &["vrijgeven van informatie"]),
    (
        Nl,
        SecurityFeatureBypass,
        &["omzeiling van beveiligingsfunctie"],
    ),
    (Nl, Tampering, &["onrechtmatige wijzigingen"]),
    (
        Pl,
        RemoteCodeExecution,
        &["zdalne wykonanie kodu", "zdalnego wykonania kodu"],
    ),
    (
        Pl,
        ElevationOfPrivilege,
        &["podniesienie uprawnień", "podniesienia uprawnień"],
    ),
    (Pl, DenialOfService, &["odmowa usługi", "odmowy usługi"]),
    (
        Pl,
        InformationDisclosure,
        &["ujawnienie informacji", "ujawnienia informacji"],
    ),
    (
        Pt,
        RemoteCodeExecution,
        &["execução remota de código", "execução de código remoto"],
    ),
    (Pt, ElevationOfPrivilege, &["elevação de privilégio"]),
    (Pt, DenialOfService, &["negação de serviço"]),
    (Pt, InformationDisclosure, &["divulgação de informações"]),
    (
        Ru,
        RemoteCodeExecution,
        &["удаленное выполнение кода", "удаленного выполнения кода"],
    ),
    (
        Ru,
        ElevationOfPrivilege,
        &["повышение привилегий", "несанкционированное получение прав"],
    ),
    (Ru, DenialOfService, &["отказ в обслуживании"]),
    (
        Ru,
        InformationDisclosure,
        &["раскрытие информации", "разглашение информации"],
    ),
    (Sv, RemoteCodeExecution, &["fjärrkörning av kod"]),
    (
        Sv,
        ElevationOfPrivilege,
        &["utökade privilegier", "utökad behörighet"],
    ),
    (
        Sv,
        DenialOfService,
        &["överbelastningsattack", "denial of service"],
    ),
    (
        Sv,
        InformationDisclosure,
        &["avslöjande av information", "utlämnande av information"],
    ),
    (
        Tr,
        RemoteCodeExecution,
        &["uzaktan kod yürütme", "uzaktan kod çalıştırma"],
    ),
    (Tr, ElevationOfPrivilege, &["ayrıcalık yükseltme"]),
    (Tr, DenialOfService, &["hizmet reddi"]),
    (Tr, InformationDisclosure, &["bilgilerin açığa çıkması"]),
    (
        Zh,
        RemoteCodeExecution,
        &["遠端執行程式碼", "远程执行代码", "遠端程式碼執行"],
    ),
    (
        Zh,
        ElevationOfPrivilege,
        &["權限提高", "特权提升", "權限提升"],
    ),
    (
        Zh,
        DenialOfService,
        &["拒絕服務", "阻斷服務", "阻絕服務", "拒绝服务"],
    ),
    (
        Zh,
        InformationDisclosure,
        &["資訊洩漏", "資訊洩露", "信息泄露"],
    ),
    (Zh, Spoofing, &["偽造", "欺骗"]),
    (
        Zh,
        SecurityFeatureBypass,
        &["資訊安全功能略過", "安全性功能略過", "安全功能绕过"],
    ),
    (Zh, Tampering, &["竄改", "篡改"]),
];

/// Month names in every case form, abbreviations included. Index 0 is January.
pub const MONTHS: &[(Lang, [&[&str]; 12])] = &[
    (
        Cs,
        [
            &["leden", "ledna"],
            &["únor", "února"],
            &["březen", "března"],
            &["duben", "dubna"],
            &["květen", "května"],
            &["červen", "června"],
            &["červenec", "července"],
            &["srpen", "srpna"],
            &["září"],
            &["říjen", "října"],
            &["listopad", "listopadu"],
            &["prosinec", "prosince"],
        ],
    ),
    (
        Da,
        [
            &["januar"],
            &["februar"],
            &["marts"],
            &["april"],
            &["maj"],
            &["juni"],
            &["juli"],
            &["august"],
            &["september"],
            &["oktober"],
            &["november"],
            &["december"],
        ],
    ),
    (
        De,
        [
            &["januar", "jänner", "jan"],
            &["februar", "feb"],
            &["märz", "mär", "maerz"],
            &["april", "apr"],
            &["mai"],
            &["juni", "jun"],
            &["juli", "jul"],
            &["august", "aug"],
            &["september", "sep", "sept"],
            &["oktober", "okt"],
            &["november", "nov"],
            &["dezember", "dez"],
        ],
    ),
    (
        En,
        [
            &["january", "jan"],
            &["february", "feb"],
            &["march", "mar"],
            &["april", "apr"],
            &["may"],
            &["june", "jun"],
            &["july", "jul"],
            &["august", "aug"],
            &["september", "sep", "sept"],
            &["october", "oct"],
            &["november", "nov"],
            &["december", "dec"],
        ],
    ),
    (
        Es,
        [
            &["enero"],
            &["febrero"],
            &["marzo"],
            &["abril"],
            &["mayo"],
            &["junio"],
            &["julio"],
            &["agosto"],
            &["septiembre", "setiembre"],
            &["octubre"],
            &["noviembre"],
            &["diciembre"],
        ],
    ),
    (
        Fi,
        [
            &["tammikuu", "tammikuuta"],
            &["helmikuu", "helmikuuta"],
            &["maaliskuu", "maaliskuuta"],
            &["huhtikuu", "huhtikuuta"],
            &["toukokuu", "toukokuuta"],
            &["kesäkuu", "kesäkuuta"],
            &["heinäkuu", "heinäkuuta"],
            &["elokuu", "elokuuta"],
            &["syyskuu", "syyskuuta"],
            &["lokakuu", "lokakuuta"],
            &["marraskuu", "marraskuuta"],
            &["joulukuu", "joulukuuta"],
        ],
    ),
    (
        Fr,
        [
            &["janvier"],
            &["février"],
            &["mars"],
            &["avril"],
            &["mai"],
            &["juin"],
            &["juillet"],
            &["août"],
            &["septembre"],
            &["octobre"],
            &["novembre"],
            &["décembre"],
        ],
    ),
    (
        Hu,
        [
            &["január"],
            &["február"],
            &["március"],
            &["április"],
            &["május"],
            &["június"],
            &["július"],
            &["augusztus"],
            &["szeptember"],
            &["október"],
            &["november"],
            &["december"],
        ],
    ),
    (
        It,
        [
            &["gennaio"],
            &["febbraio"],
            &["marzo"],
            &["aprile"],
            &["maggio"],
            &["giugno"],
            &["luglio"],
            &["agosto"],
            &["settembre"],
            &["ottobre"],
            &["novembre"],
            &["dicembre"],
        ],
    ),
    (
        Nb,
        [
            &["januar"],
            &["februar"],
            &["mars"],
            &["april"],
            &["mai"],
            &["juni"],
            &["juli"],
            &["august"],
            &["september"],
            &["oktober"],
            &["november"],
            &["desember"],
        ],
    ),
    (
        Nl,
        [
            &["januari"],
            &["februari"],
            &["maart"],
            &["april"],
            &["mei"],
            &["juni"],
            &["juli"],
            &["augustus"],
            &["september"],
            &["oktober"],
            &["november"],
            &["december"],
        ],
    ),
    (
        Pl,
        [
            &["styczeń", "stycznia"],
            &["luty", "lutego"],
            &["marzec", "marca"],
            &["kwiecień", "kwietnia"],
            &["maj", "maja"],
            &["czerwiec", "czerwca"],
            &["lipiec", "lipca"],
            &["sierpień", "sierpnia"],
            &["wrzesień", "września"],
            &["październik", "października"],
            &["listopad", "listopada"],
            &["grudzień", "grudnia"],
        ],
    ),
    (
        Pt,
        [
            &["janeiro"],
            &["fevereiro"],
            &["março"],
            &["abril"],
            &["maio"],
            &["junho"],
            &["julho"],
            &["agosto"],
            &["setembro"],
            &["outubro"],
            &["novembro"],
            &["dezembro"],
        ],
    ),
    (
        Ru,
        [
            &["январь", "января"],
            &["февраль", "февраля"],
            &["март", "марта"],
            &["апрель", "апреля"],
            &["май", "мая"],
            &["июнь", "июня"],
            &["июль", "июля"],
            &["август", "августа"],
            &["сентябрь", "сентября"],
            &["октябрь", "октября"],
            &["ноябрь", "ноября"],
            &["декабрь", "декабря"],
        ],
    ),
    (
        Sv,
        [
            &["januari"],
            &["februari"],
            &["mars"],
            &["april"],
            &["maj"],
            &["juni"],
            &["juli"],
            &["augusti"],
            &["september"],
            &["oktober"],
            &["november"],
            &["december"],
        ],
    ),
    (
        Tr,
        [
            &["ocak"],
            &["şubat"],
            &["mart"],
            &["nisan"],
            &["mayıs"],
            &["haziran"],
            &["temmuz"],
            &["ağustos"],
            &["eylül"],
            &["ekim"],
            &["kasım"],
            &["aralık"],
        ],
    ),
];

/// The document sections extraction looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The executive summary of a bulletin.
    ExecutiveSummary,
    /// The affected and non-affected software list.
    AffectedSoftware,
    /// The acknowledgments (thanks) section.
    Acknowledgments,
}

/// Section headings, compared with a heading's text after markup, colons and
/// whitespace are stripped and it is lower-cased: a heading matches when it
/// starts with one of these (headings can be glued to other text).
pub const SECTION_HEADINGS: &[(Lang, Section, &[&str])] = &[
    (Cs, Section::ExecutiveSummary, &["shrnutí", "souhrn"]),
    (
        Cs,
        Section::AffectedSoftware,
        &["software, kterého se", "ovlivněný software"],
    ),
    (Cs, Section::Acknowledgments, &["poděkování"]),
    (
        Da,
        Section::ExecutiveSummary,
        &["sammenfatning", "kort resumé"],
    ),
    (
        Da,
        Section::AffectedSoftware,
        &["berørt software", "berørte programmer"],
    ),
    (Da, Section::Acknowledgments, &["tak til", "anerkendelser"]),
    (
        De,
        Section::ExecutiveSummary,
        &["kurzzusammenfassung", "zusammenfassung"],
    ),
    (
        De,
        Section::AffectedSoftware,
        &[
            "betroffene und nicht betroffene software",
            "betroffene software",
        ],
    ),
    (De, Section::Acknowledgments, &["danksagung"]),
    (En, Section::ExecutiveSummary, &["executive summary"]),
    (
        En,
        Section::AffectedSoftware,
        &["affected and non-affected software", "affected software"],
    ),
    (
        En,
        Section::Acknowledgments,
        &["acknowledgments", "acknowledgements"],
    ),
    (Es, Section::ExecutiveSummary, &["resumen"]),
    (Es, Section::AffectedSoftware, &["software afectado"]),
    (Es, Section::Acknowledgments, &["agradecimientos"]),
    (
        Fi,
        Section::ExecutiveSummary,
        &["yhteenveto", "tiivistelmä"],
    ),
    (Fi, Section::AffectedSoftware, &["ohjelmistot, joita"]),
    (Fi, Section::Acknowledgments, &["kiitokset"]),
    (Fr, Section::ExecutiveSummary, &["synthèse", "résumé"]),
    (Fr, Section::AffectedSoftware, &["logiciels concernés"]),
    (Fr, Section::Acknowledgments, &["remerciements"]),
    (
        Hu,
        Section::ExecutiveSummary,
        &["vezetői összefoglaló", "összefoglaló"],
    ),
    (
        Hu,
        Section::AffectedSoftware,
        &["érintett és nem érintett", "érintett szoftver"],
    ),
    (Hu, Section::Acknowledgments, &["köszönetnyilvánítás"]),
    (It, Section::ExecutiveSummary, &["riepilogo"]),
    (
        It,
        Section::AffectedSoftware,
        &["software interessato", "software interessati"],
    ),
    (It, Section::Acknowledgments, &["ringraziamenti"]),
    (Ja, Section::ExecutiveSummary, &["概要", "要点"]),
    (Ja, Section::AffectedSoftware, &["影響を受けるソフトウェア"]),
    (Ja, Section::Acknowledgments, &["謝辞"]),
    (Ko, Section::ExecutiveSummary, &["요약"]),
    (Ko, Section::AffectedSoftware, &["영향을 받는 소프트웨어"]),
    (Ko, Section::Acknowledgments, &["감사의 말"]),
    (Nb, Section::ExecutiveSummary, &["kortfattet sammendrag"]),
    (
        Nb,
        Section::AffectedSoftware,
        &["berørt og uberørt programvare", "berørt programvare"],
    ),
    (Nb, Section::Acknowledgments, &["takk til"]),
    (Nl, Section::ExecutiveSummary, &["samenvatting"]),
    (
        Nl,
        Section::AffectedSoftware,
        &[
            "software waarin dit probleem optreedt",
            "software waarin het probleem optreedt",
        ],
    ),
    (Nl, Section::Acknowledgments, &["dankbetuiging"]),
    (
        Pl,
        Section::ExecutiveSummary,
        &["streszczenie", "podsumowanie"],
    ),
    (
        Pl,
        Section::AffectedSoftware,
        &["oprogramowanie, którego dotyczy"],
    ),
    (Pl, Section::Acknowledgments, &["podziękowania"]),
    (
        Pt,
        Section::ExecutiveSummary,
        &["sumário executivo", "resumo"],
    ),
    (
        Pt,
        Section::AffectedSoftware,
        &["software afetado", "software afectado"],
    ),
    (Pt, Section::Acknowledgments, &["agradecimentos"]),
    (
        Ru,
        Section::ExecutiveSummary,
        &["краткий обзор", "аннотация"],
    ),
    (
        Ru,
        Section::AffectedSoftware,
        &["уязвимое программное", "затрагиваемое программное"],
    ),
    (Ru, Section::Acknowledgments, &["благодарности"]),
    (Sv, Section::ExecutiveSummary, &["sammanfattning"]),
    (
        Sv,
        Section::AffectedSoftware,
        &["programvara som påverkas", "berörd programvara"],
    ),
    (Sv, Section::Acknowledgments, &["tack till", "erkännanden"]),
    (Tr, Section::ExecutiveSummary, &["yönetici özeti"]),
    (
        Tr,
        Section::AffectedSoftware,
        &["etkilenen yazılım", "etkilenen ve etkilenmeyen"],
    ),
    (Tr, Section::Acknowledgments, &["teşekkür"]),
    (Zh, Section::ExecutiveSummary, &["提要", "摘要", "执行摘要"]),
    (
        Zh,
        Section::AffectedSoftware,
        &[
            "受影響及不受影響的軟體",
            "受影響的軟體",
            "受影响和不受影响的软件",
            "受影响的软件",
        ],
    ),
    (Zh, Section::Acknowledgments, &["感謝", "致謝", "致谢"]),
];

/// Phrases that introduce a Knowledge Base article number in running text
/// ("Knowledge Base-Artikel 924164", "サポート技術情報 925902").
pub const KB_PHRASES: &[(Lang, &[&str])] = &[
    (Cs, &["článku znalostní báze", "článek znalostní báze"]),
    (Da, &["knowledge base-artikel", "knowledge base-artiklen"]),
    (De, &["knowledge base-artikel", "knowledge base-artikels"]),
    (En, &["knowledge base article"]),
    (
        Es,
        &[
            "artículo de knowledge base",
            "artículo de la base de conocimiento",
        ],
    ),
    (Fi, &["knowledge base -artikkeli"]),
    (Fr, &["article de la base de connaissances"]),
    (Hu, &["tudásbázis"]),
    (It, &["articolo della knowledge base"]),
    (Ja, &["サポート技術情報"]),
    (Ko, &["기술 자료 문서"]),
    (
        Nb,
        &["knowledge base-artikkel", "knowledge base-artikkelen"],
    ),
    (Nl, &["knowledge base-artikel"]),
    (Pl, &["artykule bazy wiedzy", "artykuł bazy wiedzy"]),
    (
        Pt,
        &[
            "artigo da base de dados de conhecimento",
            "artigo da knowledge base",
        ],
    ),
    (Ru, &["статье базы знаний", "статья базы знаний"]),
    (Sv, &["knowledge base-artikel"]),
    (Tr, &["bilgi bankası makalesi"]),
    (Zh, &["知識庫文件編號", "知識庫文章", "知识库文章"]),
];

/// The words of a credit line in one language. Connectives are matched as
/// whole words, case-insensitively.
#[derive(Debug)]
pub struct CreditWords {
    /// Where the reason for the thanks starts ("for at have rapporteret …"):
    /// the credit is what comes before.
    pub reason: &'static [&'static str],
    /// Name → organisation ("Name fra Org").
    pub of: &'static [&'static str],
    /// Organisation → name ("Org ved Name").
    pub org_first: &'static [&'static str],
    /// The "working with" programme that follows ("… der arbejder sammen med ZDI").
    pub partner: &'static [&'static str],
    /// "and" between parties.
    pub and: &'static [&'static str],
    /// Phrases that mark an anonymous researcher.
    pub anonymous: &'static [&'static str],
    /// Words before a name that are not part of it: honorifics, job titles
    /// ("Sicherheitstester Jorge Moura", "Ryan Smith, Forscher bei …") and
    /// articles before an organisation ("Dem UK National …").
    pub before_name: &'static [&'static str],
    /// Nouns only organisations have in their names, in this language
    /// (beside the shared English ones: "Team", "Labs", "University" …).
    pub org_words: &'static [&'static str],
}

/// Credit-line words, one row per language. CJK lines are read by shape in
/// `extract::credits`; their rows hold the reason and partner markers.
pub const CREDIT_WORDS: &[(Lang, CreditWords)] = &[
    (
        Cs,
        CreditWords {
            reason: &["za nahlášení", "za spolupráci", "za "],
            of: &["ze společnosti", "z", "ze"],
            org_first: &[],
            partner: &["ve spolupráci s"],
            and: &["a"],
            anonymous: &["anonymní"],
            before_name: &[],
            org_words: &[],
        },
    ),
    (
        Da,
        CreditWords {
            reason: &["for at", "for samarbejdet", "for "],
            of: &["fra", "hos", "i", "der arbejder for", "der arbejder hos"],
            org_first: &["ved"],
            partner: &[
                "der arbejder med",
                "der arbejder sammen med",
                "som arbejder sammen med",
                "som samarbejder med",
                "der samarbejder med",
                "i samarbejde med",
            ],
            and: &["og"],
            anonymous: &["en forsker", "anonym"],
            before_name: &[
                "tidligere",
                "hr.",
                "professor",
                "prof.",
                "lektor",
                "sikkerhedstester",
                "sikkerhedsforsker",
                "forsker",
            ],
            org_words: &["universitet", "universitetet", "regering", "teamet"],
        },
    ),
    (
        De,
        CreditWords {
            reason: &["im rahmen", "für den", "für die", "für das", "für "],
            of: &[
                "von der",
                "vom",
                "von",
                "bei",
                "während seiner forschungstätigkeit bei",
                "der",
                "des",
            ],
            org_first: &[],
            partner: &[
                "in zusammenarbeit mit",
                "über",
                "zusammen mit",
                "die mit",
                "der mit",
            ],
            and: &["und"],
            anonymous: &[
                "anonym",
                "ein forscher",
                "einem forscher",
                "einen forscher",
                "einer person",
                "eine person",
            ],
            before_name: &[
                "vormals",
                "herr",
                "frau",
                "dr.",
                "prof.",
                "professor",
                "sicherheitstester",
                "sicherheitsforscher",
                "forscher",
                "dem",
                "den",
                "der",
                "die",
            ],
            org_words: &[
                "regierung",
                "universität",
                "forschungszentrum",
                "bundesstaat",
            ],
        },
    ),
    (
        En,
        CreditWords {
            reason: &[
                "for reporting",
                "for working",
                "for helping",
                "for assistance",
                "for responsibly",
                "for their",
                "for ",
            ],
            of: &["of the", "of", "from", "at"],
            org_first: &[],
            partner: &[
                "working with",
                "in collaboration with",
                "working for",
                "via",
            ],
            and: &["and", "&"],
            anonymous: &["a researcher", "anonymous"],
            before_name: &[
                "formerly",
                "mr.",
                "mr",
                "ms.",
                "mrs.",
                "dr.",
                "prof.",
                "professor",
                "security tester",
                "security researcher",
                "researcher",
                "the",
            ],
            org_words: &[],
        },
    ),
    (
        Es,
        CreditWords {
            reason: &["por informar", "por colaborar", "por "],
            of: &["de la", "del", "de"],
            org_first: &[],
            partner: &["en colaboración con", "trabajando con"],
            and: &["y"],
            anonymous: &["anónimo"],
            before_name: &["sr.", "profesor", "investigador", "el", "la"],
            org_words: &["universidad", "gobierno", "equipo"],
        },
    ),
    (
        Fi,
        CreditWords {
            reason: &["ilmoittamisesta", "yhteistyöstä"],
            of: &["yrityksestä", "organisaatiosta"],
            org_first: &[],
            partner: &["yhteistyössä"],
            and: &["ja"],
            anonymous: &["nimetön", "anonyymi"],
            before_name: &[],
            org_words: &[],
        },
    ),
    (
        Fr,
        CreditWords {
            reason: &["pour avoir", "pour leur", "pour "],
            of: &["de la société", "de chez", "de l'", "de", "du"],
            org_first: &[],
            partner: &["en collaboration avec", "travaillant avec"],
            and: &["et"],
            anonymous: &["anonyme"],
            before_name: &["m.", "mme", "professeur", "chercheur", "le", "la"],
            org_words: &["université", "gouvernement", "équipe"],
        },
    ),
    (
        Hu,
        CreditWords {
            reason: &[
                "a probléma jelentéséért",
                "jelentéséért",
                "együttműködéséért",
            ],
            of: &["a", "az"],
            org_first: &[],
            partner: &["együttműködve"],
            and: &["és"],
            anonymous: &["névtelen"],
            before_name: &[],
            org_words: &[],
        },
    ),
    (
        It,
        CreditWords {
            reason: &["per aver", "per la", "per "],
            of: &["di", "della", "del", "dell'"],
            org_first: &[],
            partner: &["in collaborazione con", "che collabora con"],
            and: &["e"],
            anonymous: &["anonimo"],
            before_name: &["sig.", "professore", "ricercatore", "il", "la"],
            org_words: &["università", "governo"],
        },
    ),
    (
        Ja,
        CreditWords {
            reason: &[
                "いただいている",
                "いただいた",
                "頂いた",
                "報告してくださった",
                "報告して下さった",
                "協力してくださった",
                "協力して下さった",
                "くださった",
                "下さった",
                "くだささった",
            ],
            of: &["の"],
            org_first: &[],
            partner: &["と協力して", "に協力している", "と協力し", "と共同で"],
            and: &["および", "、", "と"],
            anonymous: &["匿名"],
            before_name: &[],
            org_words: &[],
        },
    ),
    (
        Ko,
        CreditWords {
            reason: &["에게 감사", "보고해"],
            of: &["의"],
            org_first: &[],
            partner: &["와 협력", "과 협력"],
            and: &["및", "와", "과"],
            anonymous: &["익명"],
            before_name: &[],
            org_words: &[],
        },
    ),
    (
        Nb,
        CreditWords {
            reason: &["for rapporten", "for samarbeidet", "for å ha", "for "],
            of: &["sammen med", "hos", "fra", "i"],
            org_first: &["ved"],
            partner: &[
                "i samarbeid med",
                "som samarbeider med",
                "som jobber med",
                "gjennom",
            ],
            and: &["og"],
            anonymous: &["en forsker", "anonym"],
            before_name: &[
                "tidligere",
                "hr.",
                "professor",
                "prof.",
                "sikkerhetstester",
                "sikkerhetsforsker",
                "forsker",
            ],
            org_words: &["universitet", "universitetet", "regjering", "teamet"],
        },
    ),
    (
        Nl,
        CreditWords {
            reason: &[
                "voor het melden",
                "voor de samenwerking",
                "voor het",
                "voor ",
            ],
            of: &[
                "die werkt voor",
                "die werken voor",
                "die werkt bij",
                "van het",
                "van de",
                "van",
                "bij",
                "onderzoeker voor",
                "werkzaam bij",
                "werkzaam voor",
            ],
            org_first: &[],
            partner: &[
                "in samenwerking",
                "die met",
                "die bij",
                "in samenwerking met",
                "die samenwerkt met",
                "die samenwerkte met",
            ],
            and: &["en"],
            anonymous: &["een onderzoeker", "anoniem", "anonieme"],
            before_name: &[
                "voorheen",
                "dhr.",
                "mevr.",
                "prof.",
                "professor",
                "beveiligingstester",
                "beveiligingsonderzoeker",
                "onderzoeker",
                "het",
                "de",
            ],
            org_words: &["overheid", "universiteit", "initiatief", "beveiligingsteam"],
        },
    ),
    (
        Pl,
        CreditWords {
            reason: &["za zgłoszenie", "za współpracę", "za "],
            of: &["z firmy", "z"],
            org_first: &[],
            partner: &["we współpracy z"],
            and: &["i", "oraz"],
            anonymous: &["anonimowy"],
            before_name: &[],
            org_words: &[],
        },
    ),
    (
        Pt,
        CreditWords {
            reason: &["por relatar", "por trabalhar", "por ", "pelo "],
            of: &["da", "do", "de"],
            org_first: &[],
            partner: &["trabalhando com", "em colaboração com"],
            and: &["e"],
            anonymous: &["anônimo", "anónimo"],
            before_name: &["sr.", "professor", "pesquisador", "o", "a"],
            org_words: &["universidade", "governo", "equipe"],
        },
    ),
    (
        Ru,
        CreditWords {
            reason: &["за сообщение", "за сотрудничество", "за "],
            of: &["из компании", "из"],
            org_first: &[],
            partner: &["в сотрудничестве с", "работающий с"],
            and: &["и"],
            anonymous: &["анонимный", "анонимного"],
            before_name: &[],
            org_words: &[],
        },
    ),
    (
        Sv,
        CreditWords {
            reason: &["för att ha", "för samarbetet", "för "],
            of: &["från", "på", "hos"],
            org_first: &[],
            partner: &["i samarbete med", "som samarbetar med"],
            and: &["och"],
            anonymous: &["anonym"],
            before_name: &[
                "professor",
                "säkerhetstestare",
                "säkerhetsforskare",
                "forskare",
            ],
            org_words: &["universitet", "universitetet", "regering", "teamet"],
        },
    ),
    (
        Tr,
        CreditWords {
            reason: &["bildirdiği için", "için"],
            of: &["şirketinden", "firmasından"],
            org_first: &[],
            partner: &["ile birlikte çalışan", "ile çalışan"],
            and: &["ve"],
            anonymous: &["anonim", "isimsiz"],
            before_name: &[],
            org_words: &[],
        },
    ),
    (
        Zh,
        CreditWords {
            reason: &[
                "在此",
                "公開",
                "揭露",
                "通報",
                ",以",
                "，以",
                ",共同",
                "共同回報",
                " 以",
                "最初",
                "所",
                "提出",
                "分別",
                "發現",
                "回報",
                "報告",
                "协助",
                "協助",
                "讓我們注意",
                "與我們合作",
                "与我们合作",
                " 在 ",
                "提報",
            ],
            of: &["的"],
            org_first: &[],
            partner: &["合作的", "合作，", "合作,", "合作"],
            and: &["和", "及", "、", "与"],
            anonymous: &["匿名"],
            before_name: &["研究人員", "研究員"],
            org_words: &[
                "大學",
                "大学",
                "中心",
                "公司",
                "實驗室",
                "实验室",
                "團隊",
                "团队",
                "研究所",
                "小組",
                "小组",
                "政府",
            ],
        },
    ),
];

/// Lower-case words inside people's names ("Jeffrey van der Stad", "Nicolas
/// de Pouvesle"), in the languages names come from.
pub const NAME_PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "dem", "di", "da", "du", "del", "della", "le", "la", "ten",
    "ter", "y", "bin", "al",
];

/// Japanese honorifics after a person's name ("Tarjei Mandt 氏", "Sihan Qing 教授").
pub const JA_HONORIFICS: &[&str] = &["氏", "教授", "准教授", "博士", "様", "さん", "先生"];

/// The vendor's own name in the languages published, lower case: thanks
/// for working with it is the reason, never a programme.
pub const VENDOR_NAMES: &[&str] = &[
    "microsoft",
    "マイクロソフト",
    "微軟",
    "微软",
    "마이크로소프트",
];

/// Places that credit lines name after an organisation or a person ("DISC,
/// Kansas, USA", "aus Pakistan", "Sydkorea"), lower case, in the languages
/// the documentation was published in.
pub const PLACES: &[&str] = &[
    "usa",
    "u.s.a",
    "united states",
    "kansas",
    "arizona",
    "az",
    "california",
    "texas",
    "new york",
    "washington",
    "pakistan",
    "china",
    "kina",
    "kína",
    "chine",
    "cina",
    "peking",
    "beijing",
    "korea",
    "south korea",
    "sydkorea",
    "sør-korea",
    "südkorea",
    "zuid-korea",
    "republik korea",
    "republiek korea",
    "republic of korea",
    "the republic of korea",
    "republikken korea",
    "israel",
    "haifa",
    "japan",
    "japon",
    "giappone",
    "india",
    "indien",
    "canada",
    "kanada",
    "argentina",
    "argentinien",
    "argentinië",
    "taiwan",
    "russia",
    "russland",
    "rusland",
    "rusia",
    "russie",
    "germany",
    "deutschland",
    "tyskland",
    "duitsland",
    "allemagne",
    "uk",
    "england",
    "united kingdom",
    "france",
    "frankrike",
    "frankrig",
    "frankreich",
    "frankrijk",
    "spain",
    "spanien",
    "spanje",
    "espagne",
    "italy",
    "italien",
    "italië",
    "italie",
    "brazil",
    "brasil",
    "brasilien",
    "brazilië",
    "vietnam",
    "singapore",
    "singapur",
    "poland",
    "polen",
    "pologne",
    "czech republic",
    "tschechien",
    "austria",
    "österreich",
    "østerrike",
    "østrig",
    "oostenrijk",
    "switzerland",
    "schweiz",
    "sveits",
    "zwitserland",
    "australia",
    "australien",
    "australië",
    "netherlands",
    "niederlande",
    "nederland",
    "holland",
    "sweden",
    "schweden",
    "sverige",
    "zweden",
    "norway",
    "norwegen",
    "norge",
    "noorwegen",
    "denmark",
    "dänemark",
    "danmark",
    "denemarken",
    "finland",
    "finnland",
    "turkey",
    "türkei",
    "tyrkia",
    "tyrkiet",
    "turkije",
];

/// The languages whose rows every lookup here leaves out, and whose code
/// paths elsewhere are skipped: set once per process by the
/// leave-one-language-out evaluation (`cargo bench --bench credits --
/// --leave-out`), which shows how a language reads with no rule for it.
static LEFT_OUT: std::sync::OnceLock<Vec<Lang>> = std::sync::OnceLock::new();

/// Leaves the rows of `langs` out of every table, for this process; call it
/// before anything is read. Returns false when it was already set.
pub fn leave_out(langs: &[Lang]) -> bool {
    LEFT_OUT.set(langs.to_vec()).is_ok()
}

/// Whether `lang`'s rows and code paths are left out in this process.
pub fn is_left_out(lang: Lang) -> bool {
    LEFT_OUT.get().is_some_and(|l| l.contains(&lang))
}

/// The rows of a per-language table that are in use.
pub fn rows<T>(table: &'static [T], lang_of: fn(&T) -> Lang) -> impl Iterator<Item = &'static T> {
    table.iter().filter(move |row| !is_left_out(lang_of(row)))
}

/// No words: the credit row of a language left out.
const NO_CREDIT_WORDS: CreditWords = CreditWords {
    reason: &[],
    of: &[],
    org_first: &[],
    partner: &[],
    and: &[],
    anonymous: &[],
    before_name: &[],
    org_words: &[],
};

/// The credit words of a language (none for a language left out).
pub fn credit_words(lang: Lang) -> &'static CreditWords {
    if is_left_out(lang) {
        return &NO_CREDIT_WORDS;
    }
    // A language with no row (Greek) is read by its learned frame alone.
    CREDIT_WORDS
        .iter()
        .find(|(l, _)| *l == lang)
        .map_or(&NO_CREDIT_WORDS, |(_, w)| w)
}

/// The canonical severity a single word stands for, in any language.
/// `word` must already be lower-cased and stripped of decoration.
pub fn severity_word(word: &str) -> Option<Severity> {
    rows(SEVERITY_WORDS, |r| r.0)
        .find(|(_, _, words)| words.contains(&word))
        .map(|&(_, s, _)| s)
}

/// Every impact category named in `text` (any language), in table order, without repeats.
pub fn impacts_in(text: &str) -> Vec<Impact> {
    let lower = text.to_lowercase();
    let mut found = Vec::new();
    for &(_, impact, phrases) in rows(IMPACT_PHRASES, |r| r.0) {
        if !found.contains(&impact) && phrases.iter().any(|p| lower.contains(p)) {
            found.push(impact);
        }
    }
    found
}

/// The month (1–12) a lower-cased word names, in any language.
pub fn month_word(word: &str) -> Option<u32> {
    rows(MONTHS, |r| r.0).find_map(|(_, months)| {
        months
            .iter()
            .position(|forms| forms.contains(&word))
            .map(|i| i as u32 + 1)
    })
}

/// The section a heading opens, if it is one of the known section headings.
pub fn section_of(heading: &str) -> Option<Section> {
    let key = heading_key(heading);
    if key.is_empty() {
        return None;
    }
    rows(SECTION_HEADINGS, |r| r.0)
        .find(|(_, _, words)| words.iter().any(|w| key.starts_with(w)))
        .map(|&(_, s, _)| s)
}

/// A heading's comparable form: lower case, without markup, colons,
/// brackets and surrounding whitespace.
pub fn heading_key(heading: &str) -> String {
    heading
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | ':' | '#' | '.'))
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn severity_words_follow_the_table() {
        for (word, expected) in [
            ("kritisk", Critical),
            ("alvorlig", Important),
            ("hoch", Important),
            ("viktig", Important),
            ("kritiek", Critical),
            ("belangrijk", Important),
            ("緊急", Critical),
            ("重大", Critical),
            ("重要", Important),
            ("警告", Moderate),
            ("中等", Moderate),
            ("laag", Low),
            ("krytyczne", Critical),
            ("критический", Critical),
        ] {
            assert_eq!(severity_word(word), Some(expected), "{word}");
        }
        assert_eq!(severity_word("high"), None);
    }

    #[test]
    fn no_word_means_two_things() {
        let mut seen: HashMap<&str, Severity> = HashMap::new();
        for &(lang, sev, words) in SEVERITY_WORDS {
            for w in words {
                let prev = seen.insert(w, sev);
                assert!(prev.is_none() || prev == Some(sev), "{w} ({lang})");
            }
        }
        let mut months: HashMap<&str, usize> = HashMap::new();
        for (lang, table) in MONTHS {
            for (i, forms) in table.iter().enumerate() {
                for f in *forms {
                    let prev = months.insert(f, i);
                    assert!(prev.is_none() || prev == Some(i), "{f} ({lang})");
                }
            }
        }
    }

    #[test]
    fn every_published_language_has_a_row_in_every_table() {
        // The 19 languages the documentation was published in have rows; a
        // language added since (Greek) has none and needs none.
        let langs = || {
            Lang::ALL
                .iter()
                .copied()
                .filter(|l| CREDIT_WORDS.iter().any(|(c, _)| c == l))
        };
        assert_eq!(langs().count(), 19);
        for lang in langs() {
            let sevs: Vec<_> = SEVERITY_WORDS.iter().filter(|r| r.0 == lang).collect();
            assert_eq!(sevs.len(), 4, "severities for {lang}");
            assert!(IMPACT_PHRASES.iter().any(|r| r.0 == lang), "impacts {lang}");
            assert!(KB_PHRASES.iter().any(|r| r.0 == lang), "kb phrases {lang}");
            for section in [
                Section::ExecutiveSummary,
                Section::AffectedSoftware,
                Section::Acknowledgments,
            ] {
                assert!(
                    SECTION_HEADINGS
                        .iter()
                        .any(|r| r.0 == lang && r.1 == section),
                    "{section:?} for {lang}"
                );
            }
            if !matches!(lang, Lang::Ja | Lang::Zh | Lang::Ko) {
                assert!(MONTHS.iter().any(|r| r.0 == lang), "months for {lang}");
            }
            assert!(
                CREDIT_WORDS.iter().any(|r| r.0 == lang),
                "credit words for {lang}"
            );
        }
    }

    #[test]
    fn impacts_are_found_inside_longer_text() {
        assert_eq!(
            impacts_in("Remotecodeausführung und lokale Erhöhung von Berechtigungen"),
            vec![RemoteCodeExecution, ElevationOfPrivilege]
        );
        assert_eq!(impacts_in("拒絕服務、資訊洩露及偽造。").len(), 3);
        assert_eq!(
            impacts_in("Fjernudførelse af kode"),
            vec![RemoteCodeExecution]
        );
    }

    #[test]
    fn headings_match_after_stripping_markup() {
        assert_eq!(section_of("**Tak til:**"), Some(Section::Acknowledgments));
        assert_eq!(section_of("Danksagung  "), Some(Section::Acknowledgments));
        assert_eq!(section_of("感謝Windows"), Some(Section::Acknowledgments));
        assert_eq!(section_of("概要 :"), Some(Section::ExecutiveSummary));
        assert_eq!(
            section_of("Betroffene und nicht betroffene Software"),
            Some(Section::AffectedSoftware)
        );
        assert_eq!(section_of("Revisionen"), None);
    }
}
